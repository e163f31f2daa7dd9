using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Security.Cryptography;
using KMeansPS.Bridge;
using KMeansPS.Input;
using KMeansPS.Output;
using KMeansPS.Parameters;
using KMeansPS.Pipeline;

namespace KMeansPS.Commands;

/// <summary>
/// Clusters points with K-means: objects by their numeric properties, arrays of numbers, or the matrix form of New-SyntheticClusterData.
/// </summary>
/// <remarks>
/// <para>Collects the points from the pipeline, then fits K centres with k-means++ initialisation and Lloyd's algorithm
/// with exact distance-skipping bounds (the result of plain Lloyd, with far fewer distance computations). The engine
/// is vectorised by hand for AVX-512, AVX2, SSE and ARM NEON and gives bit-identical results on every one of them and
/// for any -ThrottleLimit.</para>
/// <para>By default every numeric property of the first object is a coordinate (numbers in strings count, so
/// Import-Csv output works), except TrueCluster and Cluster; name them with -Property. Points that lack a property or
/// hold NaN are reported as errors and left out.</para>
/// <para>Returns a KMeansModel (centroids, labels, inertia, iterations, the instruction set used and the seed), or with
/// -PassThru the input objects with a Cluster property added. Ctrl+C stops the fit within one iteration.</para>
/// </remarks>
/// <example title="The blog's clustering">
/// <code>New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -Seed 1</code>
/// <para>Fits three centres to the blog's 300 points and shows the model.</para>
/// </example>
/// <example title="Label the points themselves">
/// <code>New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -PassThru | Group-Object Cluster</code>
/// <para>Each point comes back with a Cluster property.</para>
/// </example>
/// <example title="Cluster rows of a CSV file on chosen columns, with weights">
/// <code>
/// New-SyntheticClusterData -Seed 1 | Select-Object X, Y, @{ n = 'Count'; e = { 1 + $_.TrueCluster } } | Export-Csv weighted.csv
/// Import-Csv weighted.csv | Invoke-KMeans -K 3 -Property X, Y -Weight Count
/// </code>
/// <para>Numbers read as text are converted; a point with Count 3 counts as three points.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "KMeans")]
[OutputType(typeof(KMeansModel))]
[OutputType(typeof(PSObject))]
public sealed class InvokeKMeansCommand : PSCmdlet
{
    // Label-like properties that are never coordinates by default.
    private static readonly HashSet<string> LabelProperties = new(StringComparer.OrdinalIgnoreCase) { "TrueCluster", "Cluster" };

    private readonly List<PSObject> _objects = new();
    private readonly List<double> _values = new();
    private readonly List<float> _weights = new();
    private readonly CancellationTokenSource _cancel = new();
    private string[]? _properties;
    private SyntheticClusterMatrix? _matrix;
    private int _received;

    #region Parameters

    /// <summary>A point: an object with numeric properties, an array of numbers, a number, or a SyntheticClusterMatrix.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    public PSObject? InputObject { get; set; }

    /// <summary>Number of clusters.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateRange(1, 65536)]
    public int K { get; set; }

    /// <summary>Properties to cluster on. Default: every numeric property of the first object except TrueCluster and Cluster.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[]? Property { get; set; }

    /// <summary>Name of a property holding each point's weight (a point with weight 3 counts as three points).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Weight { get; set; }

    /// <summary>Auto (bounded Lloyd, the default), Lloyd, Hamerly, or MiniBatch for very large data.</summary>
    [Parameter]
    public KMeansAlgorithm Algorithm { get; set; } = KMeansAlgorithm.Auto;

    /// <summary>KMeansPlusPlus (greedy k-means++, the default) or Random.</summary>
    [Parameter]
    public KMeansInit Init { get; set; } = KMeansInit.KMeansPlusPlus;

    /// <summary>Start from these centres instead of an initialisation: one array of coordinates per cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateFinite]
    public double[][]? InitialCentroids { get; set; }

    /// <summary>Most Lloyd iterations (or mini-batch epochs) to run.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int MaxIterations { get; set; } = 300;

    /// <summary>Relative tolerance on centre movement (scikit-learn's tol).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Seed of the initialisation. Drawn at random when absent, and reported in the model.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Seed { get; set; }

    /// <summary>Points per step of -Algorithm MiniBatch.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int BatchSize { get; set; } = 1024;

    /// <summary>Worker threads (default: all cores). The result does not depend on it.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>Emit the input objects with a Cluster property added, instead of the model.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        int index = _received++;
        object baseObject = InputObject.BaseObject;

        if (baseObject is SyntheticClusterMatrix matrix)
        {
            if (_received > 1 || _matrix is not null)
            {
                ThrowTerminating(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, matrix,
                    "A SyntheticClusterMatrix must be the only input: pipe it alone.");
            }
            _matrix = matrix;
            return;
        }
        if (_matrix is not null)
        {
            ThrowTerminating(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, InputObject,
                "A SyntheticClusterMatrix must be the only input: pipe it alone.");
        }

        double[]? point = baseObject switch
        {
            IList list when baseObject is not string => ReadArray(list, index),
            _ when NumberConversion.IsNumber(baseObject) => [Convert.ToDouble(baseObject, CultureInfo.InvariantCulture)],
            _ => ReadProperties(InputObject, index),
        };
        if (point is null) return;

        if (_values.Count > 0 && point.Length != _values.Count / _objects.Count)
        {
            WriteError(new ErrorRecord(
                new ArgumentException($"Input {index} has {point.Length} coordinates; earlier points have {_values.Count / _objects.Count}."),
                ErrorIds.InconsistentDimensions, ErrorCategory.InvalidData, InputObject));
            return;
        }
        float weight = 1f;
        if (Weight is not null && !TryReadWeight(InputObject, index, out weight)) return;

        _values.AddRange(point);
        _weights.Add(weight);
        _objects.Add(InputObject);
    }

    protected override void EndProcessing()
    {
        double[] data;
        int count, dimensions;
        string[] names;
        if (_matrix is not null)
        {
            data = _matrix.Data;
            count = _matrix.Count;
            dimensions = _matrix.Dimensions;
            names = CoordinateNames.For(dimensions);
        }
        else
        {
            if (_objects.Count == 0)
            {
                ThrowTerminating(ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null,
                    _received == 0 ? "No input: pipe points into Invoke-KMeans." : "No input point could be read; see the errors above.");
            }
            data = _values.ToArray();
            count = _objects.Count;
            dimensions = data.Length / count;
            names = _properties ?? CoordinateNames.For(dimensions);
        }

        int seed = Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var fit = new ClusteringRun(K, Algorithm, Init, InitialCentroids, MaxIterations, Tolerance, seed, BatchSize, ThrottleLimit);
        if (InitialCentroids is not null && InitialCentroids.Any(c => c is null || c.Length != dimensions))
        {
            ThrowTerminating(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, InitialCentroids,
                $"Each initial centroid needs {dimensions} coordinates, one per clustered property.");
        }

        float[] weights = Weight is null ? [] : _weights.ToArray();
        KMeansModel model;
        try
        {
            model = BackgroundWork.Run(this,
                () => fit.Run(data, dimensions, weights, names, _cancel.Token),
                () => fit.Progress(),
                TimeSpan.FromMilliseconds(300));
        }
        catch (OperationCanceledException)
        {
            return; // Ctrl+C: StopProcessing cancelled the fit; PowerShell stops the pipeline.
        }
        catch (ArgumentException ex)
        {
            ThrowTerminating(ErrorIds.InvalidArgument, ErrorCategory.InvalidData, null, ex.Message, ex);
            return;
        }
        WriteProgress(new ProgressRecord(ClusteringRun.ActivityId, "Invoke-KMeans", "Done") { RecordType = ProgressRecordType.Completed });
        if (model.Warning is not null) WriteWarning(model.Warning);
        WriteVerbose($"K={model.K}: {model.Iterations} iterations, converged {model.Converged}, inertia {model.Inertia:G6}, {model.InstructionSet}, seed {model.Seed}.");

        if (!PassThru.IsPresent)
        {
            WriteObject(model);
            return;
        }
        if (_matrix is not null)
        {
            for (int i = 0; i < count; i++)
            {
                var point = new PSObject();
                point.TypeNames.Insert(0, "KMeansPS.ClusteredPoint");
                point.TypeNames.Insert(0, CoordinateNames.PointTypeName(dimensions, "KMeansPS.ClusteredPoint"));
                for (int j = 0; j < dimensions; j++) point.Properties.Add(new PSNoteProperty(names[j], data[i * dimensions + j]));
                point.Properties.Add(new PSNoteProperty("TrueCluster", _matrix.TrueCluster[i]));
                point.Properties.Add(new PSNoteProperty("Cluster", model.Labels[i]));
                WriteObject(point);
            }
            return;
        }
        for (int i = 0; i < _objects.Count; i++)
        {
            PSObject item = _objects[i];
            if (item.BaseObject is IList || NumberConversion.IsNumber(item.BaseObject))
            {
                var wrapped = new PSObject();
                wrapped.Properties.Add(new PSNoteProperty("Point", item.BaseObject));
                wrapped.Properties.Add(new PSNoteProperty("Cluster", model.Labels[i]));
                WriteObject(wrapped);
                continue;
            }
            if (item.Properties["Cluster"] is PSNoteProperty existing) existing.Value = model.Labels[i];
            else item.Properties.Add(new PSNoteProperty("Cluster", model.Labels[i]));
            WriteObject(item);
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();

    private double[]? ReadArray(IList list, int index)
    {
        var point = new double[list.Count];
        for (int j = 0; j < list.Count; j++)
        {
            if (!NumberConversion.TryToDouble(list[j], out point[j]))
            {
                WriteError(new ErrorRecord(new ArgumentException($"Input {index}: element {j} ('{list[j]}') is not a number."),
                    ErrorIds.NoNumericInput, ErrorCategory.InvalidData, list));
                return null;
            }
            if (!double.IsFinite(point[j])) return NonFinite(index, list);
        }
        if (point.Length == 0)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Input {index} is an empty array."), ErrorIds.NoNumericInput, ErrorCategory.InvalidData, list));
            return null;
        }
        return point;
    }

    private double[]? ReadProperties(PSObject item, int index)
    {
        _properties ??= Property ?? DefaultProperties(item);
        if (_properties.Length == 0)
        {
            ThrowTerminating(ErrorIds.NoNumericInput, ErrorCategory.InvalidData, item,
                "The first input object has no numeric properties to cluster on; name them with -Property.");
        }
        var point = new double[_properties.Length];
        for (int j = 0; j < _properties.Length; j++)
        {
            PSPropertyInfo? prop = item.Properties[_properties[j]];
            if (prop is null)
            {
                WriteError(new ErrorRecord(new ArgumentException($"Input {index} has no property '{_properties[j]}'."),
                    ErrorIds.MissingProperty, ErrorCategory.InvalidData, item));
                return null;
            }
            if (!NumberConversion.TryToDouble(prop.Value, out point[j]))
            {
                WriteError(new ErrorRecord(new ArgumentException($"Input {index}: property '{_properties[j]}' ('{prop.Value}') is not a number."),
                    ErrorIds.NoNumericInput, ErrorCategory.InvalidData, item));
                return null;
            }
            if (!double.IsFinite(point[j])) return NonFinite(index, item);
        }
        return point;
    }

    private double[]? NonFinite(int index, object target)
    {
        WriteError(new ErrorRecord(new ArgumentException($"Input {index} has a NaN or infinite coordinate; it is left out."),
            ErrorIds.NonFiniteInput, ErrorCategory.InvalidData, target));
        return null;
    }

    private bool TryReadWeight(PSObject item, int index, out float weight)
    {
        weight = 0;
        PSPropertyInfo? prop = item.Properties[Weight!];
        if (prop is not null && NumberConversion.TryToDouble(prop.Value, out double w) && double.IsFinite(w) && w >= 0)
        {
            weight = (float)w;
            return true;
        }
        WriteError(new ErrorRecord(new ArgumentException($"Input {index}: weight property '{Weight}' is missing, not a number, negative or not finite."),
            ErrorIds.MissingProperty, ErrorCategory.InvalidData, item));
        return false;
    }

    // Numeric properties of the first object, in declaration order; numeric strings count (Import-Csv).
    private string[] DefaultProperties(PSObject item)
    {
        var names = new List<string>();
        foreach (PSPropertyInfo prop in item.Properties)
        {
            if (LabelProperties.Contains(prop.Name) || string.Equals(prop.Name, Weight, StringComparison.OrdinalIgnoreCase)) continue;
            object? value;
            try { value = prop.Value; }
            catch (GetValueException) { continue; }
            if (value is not null && (NumberConversion.IsNumber(value) || value is string s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                names.Add(prop.Name);
            }
        }
        return names.ToArray();
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowTerminating(string id, ErrorCategory category, object? target, string message, Exception? inner = null)
    {
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, inner), id, category, target));
        throw new InvalidOperationException("unreachable");
    }
}
