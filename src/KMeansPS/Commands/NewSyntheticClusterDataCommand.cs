using System.Management.Automation;
using KMeansPS.Pipeline;
using System.Security.Cryptography;
using KMeansPS.Bridge;
using KMeansPS.Output;
using KMeansPS.Parameters;

namespace KMeansPS.Commands;

/// <summary>
/// Creates points in Gaussian clusters for trying K-means: by default the blog's 300 noisy 2-D points in 3 clusters.
/// </summary>
/// <remarks>
/// <para>Draws Count points around Clusters centres (random in -CenterBox, or given with -Center), each cluster an
/// isotropic Gaussian with standard deviation -Spread, split as evenly as scikit-learn's make_blobs does. Then adds the
/// blog's uncorrelated noise: every value of a column gets NoiseScale x N(column mean, column std) added.</para>
/// <para>The generator is our own (xoshiro256** and IEEE-exact arithmetic), so the same -Seed gives the same points, bit for
/// bit, on every machine and PowerShell version. Without -Seed a seed is drawn and reported by -Verbose.</para>
/// <para>Each point is an object with X, Y (and Z in 3-D; X1..Xn beyond three dimensions) and TrueCluster, the cluster
/// it was drawn from. -AsMatrix returns one SyntheticClusterMatrix instead, for large data sets.</para>
/// </remarks>
/// <example title="The blog's data, saved as CSV">
/// <code>New-SyntheticClusterData -Seed 1 | Export-Csv pts.csv</code>
/// <para>300 points in 3 clusters with noise, the same on every machine.</para>
/// </example>
/// <example title="Explicit centres and spreads in 3-D">
/// <code>New-SyntheticClusterData -Count 1000 -Center @(0,0,0),@(5,5,5) -Spread 0.5,1.5 -NoiseScale 0 -Seed 2</code>
/// <para>Two clusters of 500 points, one tight and one loose, with no noise.</para>
/// </example>
/// <example title="A million points for Invoke-KMeans, in one object">
/// <code>New-SyntheticClusterData -Count 1000000 -Clusters 8 -Seed 3 -AsMatrix | Invoke-KMeans -K 8</code>
/// <para>The matrix form avoids one PowerShell object per point.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "SyntheticClusterData", DefaultParameterSetName = PointsSet)]
[OutputType("KMeansPS.SyntheticPoint", ParameterSetName = [PointsSet])]
[OutputType(typeof(SyntheticClusterMatrix), ParameterSetName = [MatrixSet])]
public sealed class NewSyntheticClusterDataCommand : PSCmdlet
{
    private const string PointsSet = "Points";
    private const string MatrixSet = "Matrix";

    #region Parameters

    /// <summary>Number of points.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, 100_000_000)]
    public int Count { get; set; } = 300;

    /// <summary>Number of clusters (taken from -Center when that is given).</summary>
    [Parameter(Position = 1)]
    [ValidateRange(1, 1_000_000)]
    public int Clusters { get; set; } = 3;

    /// <summary>Number of coordinates per point (taken from -Center when that is given).</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int Dimensions { get; set; } = 2;

    /// <summary>Standard deviation of each cluster: one value, or one per cluster.</summary>
    [Parameter]
    [Alias("ClusterStd")]
    [ValidateNotNullOrEmpty]
    [ValidateFinite]
    public double[] Spread { get; set; } = [1.0];

    /// <summary>Explicit cluster centres, e.g. -Center @(0,0),@(5,5),@(0,8).</summary>
    [Parameter]
    [Alias("Centers")]
    [ValidateNotNullOrEmpty]
    [ValidateFinite]
    public double[][]? Center { get; set; }

    /// <summary>Box (min, max) that random centres are drawn from.</summary>
    [Parameter]
    [ValidateCount(2, 2)]
    [ValidateFinite]
    public double[] CenterBox { get; set; } = [-10.0, 10.0];

    /// <summary>
    /// The blog's uncorrelated noise: each column gets NoiseScale x N(column mean, column std) added.
    /// 0 adds none.
    /// </summary>
    [Parameter]
    [ValidateFinite]
    public double NoiseScale { get; set; } = 0.1;

    /// <summary>Seed: the same seed gives the same points on every machine. Drawn at random when absent.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Seed { get; set; }

    /// <summary>Emit points cluster by cluster instead of shuffled.</summary>
    [Parameter]
    public SwitchParameter NoShuffle { get; set; }

    /// <summary>Emit one matrix object instead of one object per point.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MatrixSet)]
    public SwitchParameter AsMatrix { get; set; }

    #endregion

    /// <inheritdoc/>
    protected override void BeginProcessing() => Bridge.ImportWarmup.CommandStarting();

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        int seed = Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        NonPromptingStreams.Verbose(this, $"Seed {seed}: pass -Seed {seed} to get these points again.");

        int clusters = Clusters;
        int dimensions = Dimensions;
        double[]? centers = null;
        if (Center is not null)
        {
            centers = FlattenCenters(Center, ref clusters, ref dimensions);
        }
        if (clusters > Count)
        {
            ThrowInvalid($"Clusters ({clusters}) cannot exceed Count ({Count}).", nameof(Clusters), clusters);
        }
        if (Spread.Length != 1 && Spread.Length != clusters)
        {
            ThrowInvalid($"Spread takes one value or one per cluster ({clusters}); got {Spread.Length}.", nameof(Spread), Spread);
        }
        if (Spread.Any(s => s < 0))
        {
            ThrowInvalid("Spread cannot be negative.", nameof(Spread), Spread);
        }
        if (NoiseScale < 0)
        {
            ThrowInvalid("NoiseScale cannot be negative (0 adds no noise).", nameof(NoiseScale), NoiseScale);
        }
        if (CenterBox[0] > CenterBox[1])
        {
            ThrowInvalid("CenterBox is (min, max) with min <= max.", nameof(CenterBox), CenterBox);
        }
        if ((long)Count * dimensions > Array.MaxLength)
        {
            ThrowInvalid($"Count x Dimensions ({(long)Count * dimensions}) is more than one array can hold.", nameof(Count), Count);
        }

        SyntheticClusterMatrix matrix = SyntheticDataJob.Generate(count: Count, clusters: clusters, dimensions: dimensions,
            spread: Spread, centers: centers, centerBoxMin: CenterBox[0], centerBoxMax: CenterBox[1], noiseScale: NoiseScale,
            shuffle: !NoShuffle.IsPresent, seed: seed);
        // Huge spreads, boxes or noise overflow double (a column's variance first): such points would be refused row by
        // row by Invoke-KMeans, so none is emitted.
        int beyond = Array.FindIndex(matrix.Data, v => !(Math.Abs(v) <= Input.PointReader.MaxMagnitude));
        if (beyond >= 0)
        {
            double value = matrix.Data[beyond];
            // A value that overflowed says only that it did: "-Infinity" reads as if the settings asked for it.
            string shown = double.IsFinite(value) ? "has " + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
                : double.IsNaN(value) ? "overflows double (no number is left)" : $"overflows double ({(value > 0 ? "above 1.8e308" : "below -1.8e308")})";
            ThrowInvalid($"These settings give points beyond ±1e300 (point {beyond / dimensions + 1} {shown} in column " +
                $"{CoordinateNames.For(dimensions)[beyond % dimensions]}), more than double arithmetic and Invoke-KMeans allow; make -Spread, " +
                "-CenterBox, -Center or -NoiseScale smaller.",
                Spread.Max() > 1e100 ? nameof(Spread) : NoiseScale > 1e100 ? nameof(NoiseScale) : Center is not null ? nameof(Center) : nameof(CenterBox), matrix.Count);
        }
        if (AsMatrix.IsPresent)
        {
            WriteObject(matrix);
            return;
        }

        string[] names = CoordinateNames.For(dimensions);
        string typeName = CoordinateNames.PointTypeName(dimensions);
        for (int i = 0; i < matrix.Count; i++)
        {
            var point = new PSObject();
            point.TypeNames.Insert(0, "KMeansPS.SyntheticPoint");
            point.TypeNames.Insert(0, typeName);
            for (int j = 0; j < dimensions; j++)
            {
                point.Properties.Add(new PSNoteProperty(names[j], matrix.Data[i * dimensions + j]));
            }
            point.Properties.Add(new PSNoteProperty("TrueCluster", matrix.TrueCluster[i]));
            WriteObject(point);
        }
    }

    private double[] FlattenCenters(double[][] rows, ref int clusters, ref int dimensions)
    {
        int d = rows[0]?.Length ?? 0;
        if (d == 0 || rows.Any(r => r is null || r.Length != d))
        {
            ThrowInvalid("Every centre needs the same number of coordinates (at least one).", nameof(Center), rows);
        }
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Dimensions)) && Dimensions != d)
        {
            ThrowInvalid($"-Dimensions {Dimensions} does not match the centres, which have {d} coordinates.", nameof(Dimensions), Dimensions);
        }
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Clusters)) && Clusters != rows.Length)
        {
            ThrowInvalid($"-Clusters {Clusters} does not match the {rows.Length} centres given.", nameof(Clusters), Clusters);
        }
        clusters = rows.Length;
        dimensions = d;
        return rows.SelectMany(r => r).ToArray();
    }

    private void ThrowInvalid(string message, string parameter, object target)
    {
        ThrowTerminatingError(new ErrorRecord(
            new PSArgumentException(message, parameter), ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, target));
    }
}
