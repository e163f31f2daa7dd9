using System.Collections;
using System.Globalization;
using System.Management.Automation;
using KMeansPS.Bridge;
using KMeansPS.Input;
using KMeansPS.Output;
using KMeansPS.Parameters;
using KMeansPS.Pipeline;

namespace KMeansPS.Commands;

/// <summary>
/// Draws clustered points as a scatter plot (PNG or SVG): one colour per cluster, centroids as black '+'.
/// </summary>
/// <remarks>
/// <para>Collects points from the pipeline (objects or hashtables with X and Y and a Cluster or TrueCluster property, such as the
/// output of Invoke-KMeans -PassThru or New-SyntheticClusterData) and writes the blog's figure: each cluster in its own
/// colour, the centroids of -Model as large black '+' markers, a title, axes with ticks and labels, and a legend.</para>
/// <para>The format follows the file extension (.svg for SVG, anything else PNG) unless -Format says otherwise. The
/// file is written to a temporary name and renamed when complete; an existing file is replaced only with -Force.
/// Points without the named properties, or with values that are not finite numbers or lie beyond ±1e300 (as Invoke-KMeans
/// refuses them), are reported and left out (MissingProperty, ValueOutOfRange). Tick labels carry as many decimals as
/// their spacing needs, so data with a large offset and a small spread (Unix times, map coordinates) reads right.</para>
/// </remarks>
/// <example title="The blog's plot">
/// <code>
/// $points = New-SyntheticClusterData -Seed 1
/// $model = $points | Invoke-KMeans -K 3 -Seed 1
/// $points | Invoke-KMeans -K 3 -Seed 1 -PassThru | Export-ClusterPlot clusters.png -Model $model -Title 'K-means, K = 3'
/// </code>
/// <para>Writes clusters.png: three coloured clusters with their centroids marked '+'.</para>
/// </example>
/// <example title="The true clusters, as SVG">
/// <code>New-SyntheticClusterData -Seed 1 | Export-ClusterPlot truth.svg -Width 600 -Height 450 -PassThru</code>
/// <para>Colours by TrueCluster when there is no Cluster property, and returns the file.</para>
/// </example>
[Cmdlet(VerbsData.Export, "ClusterPlot", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportClusterPlotCommand : PSCmdlet
{
    private readonly List<double> _x = new();
    private readonly List<double> _y = new();
    private readonly List<int> _cluster = new();
    private string? _clusterProperty;
    private bool _warnedUnlabelled;
    private int _received;
    private int _badLabels; // inputs left out for their cluster label alone

    #region Parameters

    /// <summary>The file to write (.png or .svg).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>A point with the X, Y and cluster properties.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull] // reported as an input, so the inputs after it keep their numbers
    public PSObject? InputObject { get; set; }

    /// <summary>The model from Invoke-KMeans (or one saved and read back), whose centroids are drawn as '+'. It must have been fitted on -XProperty and -YProperty.</summary>
    [Parameter]
    [KMeansModelTransformation]
    public KMeansModel? Model { get; set; }

    /// <summary>Property for the horizontal axis.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string XProperty { get; set; } = "X";

    /// <summary>Property for the vertical axis.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string YProperty { get; set; } = "Y";

    /// <summary>Property holding the cluster label. Default: Cluster, or TrueCluster when points have no Cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClusterProperty { get; set; }

    /// <summary>Plot title. Default: "K-means clusters" (with K when -Model is given).</summary>
    [Parameter]
    public string? Title { get; set; }

    /// <summary>Width in pixels.</summary>
    [Parameter]
    [ValidateRange(64, 16384)]
    public int Width { get; set; } = 800;

    /// <summary>Height in pixels.</summary>
    [Parameter]
    [ValidateRange(64, 16384)]
    public int Height { get; set; } = 600;

    /// <summary>Png or Svg; default from the file extension.</summary>
    [Parameter]
    public PlotFileFormat? Format { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Return the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    /// <inheritdoc/>
    protected override void BeginProcessing() => Bridge.ImportWarmup.CommandStarting();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        int index = ++_received; // counted from 1, as Invoke-KMeans counts rows
        if (InputObject is null)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Input {index} is $null, which holds no point; it is left out."),
                ErrorIds.MissingProperty, ErrorCategory.InvalidData, null));
            return;
        }
        _clusterProperty ??= ClusterProperty
            ?? (Has(InputObject, "Cluster") ? "Cluster" : Has(InputObject, "TrueCluster") ? "TrueCluster" : "");
        if (!TryNumber(InputObject, XProperty, out double x) || !TryNumber(InputObject, YProperty, out double y))
        {
            WriteError(new ErrorRecord(new ArgumentException($"Input {index} has no finite numeric '{XProperty}' and '{YProperty}' properties; it is left out."),
                ErrorIds.MissingProperty, ErrorCategory.InvalidData, InputObject));
            return;
        }
        // As Invoke-KMeans refuses them: beyond it an axis's span and margins overflow ("1e400" reads as the largest double).
        if (Math.Max(Math.Abs(x), Math.Abs(y)) > PointReader.MaxMagnitude)
        {
            double far = Math.Abs(x) > PointReader.MaxMagnitude ? x : y;
            string shown = Math.Abs(far) == double.MaxValue ? "at or beyond double's range" : far.ToString("R", CultureInfo.InvariantCulture);
            WriteError(new ErrorRecord(new ArgumentException(
                    $"Input {index}'s '{(far == x ? XProperty : YProperty)}' is {shown}; values beyond ±1e300 cannot be plotted. It is left out."),
                ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData, InputObject));
            return;
        }
        int cluster = 0;
        if (_clusterProperty.Length == 0 && !_warnedUnlabelled && ClusterProperty is null
            && (Has(InputObject, "Cluster") ? "Cluster" : Has(InputObject, "TrueCluster") ? "TrueCluster" : null) is { } later)
        {
            // The first input decided that the points carry no labels; a later one that does would be drawn in one colour without a word.
            _warnedUnlabelled = true;
            NonPromptingStreams.Warning(this, $"Input {index} has a '{later}' property, but input 1 had neither Cluster nor TrueCluster, so every point is plotted " +
                $"in one colour, without clusters. Give -ClusterProperty {later} to colour by it (inputs without it are then reported and left out).");
        }
        if (_clusterProperty.Length > 0)
        {
            if (!TryNumber(InputObject, _clusterProperty, out double label) || label != Math.Floor(label))
            {
                _badLabels++;
                WriteError(new ErrorRecord(new ArgumentException($"Input {index} has no whole-number '{_clusterProperty}' property; it is left out."),
                    ErrorIds.MissingProperty, ErrorCategory.InvalidData, InputObject));
                return;
            }
            if (label is < int.MinValue or > int.MaxValue)
            {
                // Two labels beyond int would be drawn as one cluster.
                WriteError(new ErrorRecord(new ArgumentException(
                    $"Input {index}'s '{_clusterProperty}' is {label.ToString("R", CultureInfo.InvariantCulture)}, beyond the labels a plot tells apart (-2,147,483,648 to 2,147,483,647); it is left out."),
                    ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData, InputObject));
                return;
            }
            cluster = (int)label;
        }
        _x.Add(x);
        _y.Add(y);
        _cluster.Add(cluster);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        string full = OutputPath.Resolve(this, Path, nameof(Path));
        if (_x.Count == 0)
        {
            // With inputs, each was left out with its own error: say so, rather than ask for what they may well have had.
            string why = _received == 0
                ? "No points to plot: pipe objects with X and Y properties into Export-ClusterPlot."
                : $"No points to plot: each of the {_received:N0} input{(_received == 1 ? " was" : "s was")} left out (see the errors above)" +
                  (_badLabels == _received ? $"; the '{_clusterProperty}' labels must be whole numbers, as Invoke-KMeans gives them." : ".");
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(why), ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null));
        }
        // -WhatIf says what would be written even where the checks below would then stop the command (as New-Item does);
        // -Confirm asks only once they pass.
        string action = $"Write a scatter plot of {_x.Count} points";
        if (WhatIfRequest.Of(this))
        {
            ShouldProcess(full, action);
            return;
        }
        if (Directory.Exists(full))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"'{full}' is a folder; give the plot a file name, such as '{System.IO.Path.Combine(full, "clusters.png")}'."),
                ErrorIds.PathIsDirectory, ErrorCategory.InvalidArgument, full));
        }
        OutputPath.RefuseSpecialFile(this, full, nameof(Path));
        if (File.Exists(full) && !Force.IsPresent && !Bridge.PlotJob.MayBeRedrawn(full))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{full}' already exists. Use -Force to overwrite it."),
                ErrorIds.OutputExists, ErrorCategory.ResourceExists, full));
        }
        string? folder = System.IO.Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException(File.Exists(folder)
                    ? $"'{folder}' is a file, not a folder, so '{full}' cannot be written."
                    : $"The folder '{folder}' does not exist."),
                ErrorIds.FileWriteError, ErrorCategory.WriteError, full));
        }
        if (!ShouldProcess(full, action)) return;

        double[]? cx = null, cy = null;
        if (Model is not null)
        {
            int ix = Array.FindIndex(Model.Properties, p => string.Equals(p, XProperty, StringComparison.OrdinalIgnoreCase));
            int iy = Array.FindIndex(Model.Properties, p => string.Equals(p, YProperty, StringComparison.OrdinalIgnoreCase));
            if (ix < 0 || iy < 0)
            {
                // Centroids of other properties would be drawn in the wrong place without a word.
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                    $"The model was fitted on {string.Join(", ", Model.Properties)}; it has no centroid coordinate for " +
                    $"{string.Join(" and ", new[] { (ix, XProperty), (iy, YProperty) }.Where(a => a.Item1 < 0).Select(a => $"'{a.Item2}'"))}. " +
                    "Plot the properties the model was fitted on (-XProperty, -YProperty), or leave out -Model."),
                    ErrorIds.ModelPropertyMismatch, ErrorCategory.InvalidArgument, Model));
            }
            cx = Model.Centroids.Select(c => c[ix]).ToArray();
            cy = Model.Centroids.Select(c => c[iy]).ToArray();
        }
        string title = Title ?? (Model is null ? "K-means clusters" : $"K-means clusters, K = {Model.K.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            if (!PlotJob.WriteClusterPlot(full, _x.ToArray(), _y.ToArray(), _cluster.ToArray(), cx, cy, XProperty, YProperty,
                _clusterProperty == "TrueCluster" ? "True cluster" : "Cluster", Width, Height, title, Format, Force.IsPresent))
                NonPromptingStreams.Verbose(this, PlotJob.UpToDate(full));
        }
        catch (Pipeline.OutputRefusedException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ex.Category, full));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.FileWriteError, ErrorCategory.WriteError, full));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.PlotFailed, ErrorCategory.InvalidData, full));
        }
        if (PassThru.IsPresent) WriteObject(new FileInfo(full));
    }

    private static bool TryNumber(PSObject item, string name, out double value) =>
        NumberConversion.TryToDouble(Cell(item, name), out value) && double.IsFinite(value);

    private static bool Has(PSObject item, string name) =>
        item.BaseObject is IDictionary dictionary ? DictionaryKeys.TryGetValue(dictionary, name, out _) : item.Properties[name] is not null;

    /// <summary>A property's value; for a hashtable or other dictionary (which Invoke-KMeans takes as points too), its entry's.</summary>
    private static object? Cell(PSObject item, string name) =>
        item.BaseObject is IDictionary dictionary ? (DictionaryKeys.TryGetValue(dictionary, name, out object? value) ? value : null) : item.Properties[name]?.Value;
}
