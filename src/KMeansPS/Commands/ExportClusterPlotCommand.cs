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
/// <para>Collects points from the pipeline (objects or hashtables with two numeric properties and a Cluster or TrueCluster
/// property, such as the output of Invoke-KMeans -PassThru or New-SyntheticClusterData) and writes the blog's figure: each
/// cluster in its own colour, the centroids of -Model as large black '+' markers, a title, axes with ticks and labels, and a legend.</para>
/// <para>The axes are -XProperty and -YProperty. An axis not named is, with -Model, one of the first two properties the
/// model was fitted on (so its centroids land among its points); without it, X and Y when the first input has both, else
/// the first two properties of the first input that hold numbers (CSV text such as '5.1' counts; Cluster, TrueCluster and
/// the Distance that -IncludeDistance adds do not), as Invoke-KMeans picks its columns. -Verbose says which. A property the first input does not have
/// stops the command with one error: PropertyNotFound for a named one, ModelPropertyMismatch for one of the model's.</para>
/// <para>The format follows the file extension (.svg for SVG, anything else PNG) unless -Format says otherwise. -Path is
/// taken literally (wildcard characters are part of the name) and checked before any input is read, under -WhatIf too:
/// its folder must exist (FileWriteError otherwise, as Out-File refuses it: the folder is not created), a folder or a name
/// ending in a separator is PathIsDirectory, and an existing file that is not a plot of the module's is OutputExists
/// without -Force. The file is written to a temporary name and renamed when complete; an existing file is replaced only with -Force.
/// Points without the plotted properties, or with values that are not finite numbers or lie beyond ±1e300 (as Invoke-KMeans
/// refuses them), are reported and left out (MissingProperty, ValueOutOfRange): the first 10 of each kind one by one, the
/// rest in one error that counts them. Tick labels carry as many decimals as
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
    private readonly Axis _x = new();
    private readonly Axis _y = new();
    private readonly List<int> _cluster = new();
    private RepeatedErrorLimit _errors = null!;
    private string? _full;
    private string? _axesFrom; // why the axes are these, when they were not both named
    private bool _axesChecked;
    private double[]? _centroidX, _centroidY;
    private string? _clusterProperty;
    private bool _warnedUnlabelled;
    private int _received;
    private int _badLabels; // inputs left out for their cluster label alone

    #region Parameters

    /// <summary>The file to write (.png or .svg), taken literally; its folder must exist.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>A point with the plotted properties and a cluster label.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull] // reported as an input, so the inputs after it keep their numbers
    public PSObject? InputObject { get; set; }

    /// <summary>The model from Invoke-KMeans (or one saved and read back), whose centroids are drawn as '+'. Without -XProperty and -YProperty the plot shows the first two properties it was fitted on; given, they must be among them.</summary>
    [Parameter]
    [KMeansModelTransformation]
    public KMeansModel? Model { get; set; }

    /// <summary>Property for the horizontal axis. Default: the first property -Model was fitted on; without -Model, X when the first input has X and Y, else the first property of the first input that holds a number (not Cluster or TrueCluster).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? XProperty { get; set; }

    /// <summary>Property for the vertical axis. Default: the second property -Model was fitted on; without -Model, Y when the first input has X and Y, else the second property of the first input that holds a number.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? YProperty { get; set; }

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
    protected override void BeginProcessing()
    {
        Bridge.ImportWarmup.CommandStarting();
        _errors = new RepeatedErrorLimit(this);
        // Before any input: a plot that cannot be written stops the call here, under -WhatIf too.
        _full = PlotFileTarget.Check(this, Path, nameof(Path), Force.IsPresent);
        if (Model is null) return;
        if (XProperty is null || YProperty is null)
        {
            // The model's own coordinates, so that its centroids land where its points are.
            string[] free = Model.Properties.Where(p => !IsAxis(p, XProperty) && !IsAxis(p, YProperty)).ToArray();
            if (free.Length < (XProperty is null ? 1 : 0) + (YProperty is null ? 1 : 0))
            {
                TerminatingError.Throw(this, ErrorIds.ModelPropertyMismatch, ErrorCategory.InvalidArgument, Model,
                    $"The model was fitted on {Model.Properties.Length} propert{(Model.Properties.Length == 1 ? "y" : "ies")} ({string.Join(", ", Model.Properties)}); " +
                    "a scatter plot needs two. Give -XProperty and -YProperty, or leave out -Model.");
            }
            _x.Name = XProperty ?? free[0];
            _y.Name = YProperty ?? free[XProperty is null ? 1 : 0];
            _axesFrom = XProperty is null && YProperty is null
                ? "the first two properties -Model was fitted on"
                : "the first other property -Model was fitted on";
        }
        else
        {
            _x.Name = XProperty;
            _y.Name = YProperty;
        }
        int ix = Array.FindIndex(Model.Properties, p => IsAxis(p, _x.Name));
        int iy = Array.FindIndex(Model.Properties, p => IsAxis(p, _y.Name));
        if (ix < 0 || iy < 0)
        {
            // Centroids of other properties would be drawn in the wrong place without a word.
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                $"The model was fitted on {string.Join(", ", Model.Properties)}; it has no centroid coordinate for " +
                $"{string.Join(" and ", new[] { (ix, _x.Name), (iy, _y.Name) }.Where(a => a.Item1 < 0).Select(a => $"'{a.Item2}'"))}. " +
                "Plot the properties the model was fitted on (-XProperty, -YProperty), or leave out -Model."),
                ErrorIds.ModelPropertyMismatch, ErrorCategory.InvalidArgument, Model));
        }
        _centroidX = Model.Centroids.Select(c => c[ix]).ToArray();
        _centroidY = Model.Centroids.Select(c => c[iy]).ToArray();
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        int index = ++_received; // counted from 1, as Invoke-KMeans counts rows
        if (InputObject is null)
        {
            _errors.Report(ErrorIds.MissingProperty, ErrorCategory.InvalidData, "the input is $null, which holds no point.",
                () => new ErrorRecord(new ArgumentException($"Input {index} is $null, which holds no point; it is left out."),
                    ErrorIds.MissingProperty, ErrorCategory.InvalidData, null));
            return;
        }
        _clusterProperty ??= ClusterProperty ?? LabelProperty(InputObject) ?? "";
        if (!_axesChecked) ChooseAxes(InputObject, index);
        string xName = _x.Name!, yName = _y.Name!;
        if (!TryNumber(InputObject, xName, out double x) || !TryNumber(InputObject, yName, out double y))
        {
            _errors.Report(ErrorIds.MissingProperty, ErrorCategory.InvalidData, $"no finite numeric '{xName}' and '{yName}' properties.",
                () => new ErrorRecord(new ArgumentException($"Input {index} has no finite numeric '{xName}' and '{yName}' properties; it is left out."),
                    ErrorIds.MissingProperty, ErrorCategory.InvalidData, InputObject));
            return;
        }
        // As Invoke-KMeans refuses them: beyond it an axis's span and margins overflow ("1e400" reads as the largest double).
        if (Math.Max(Math.Abs(x), Math.Abs(y)) > PointReader.MaxMagnitude)
        {
            double far = Math.Abs(x) > PointReader.MaxMagnitude ? x : y;
            string axis = far == x ? xName : yName;
            string shown = Math.Abs(far) == double.MaxValue ? "at or beyond double's range" : far.ToString("R", CultureInfo.InvariantCulture);
            _errors.Report(ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData, $"'{axis}' beyond ±1e300, which cannot be plotted.",
                () => new ErrorRecord(new ArgumentException(
                        $"Input {index}'s '{axis}' is {shown}; values beyond ±1e300 cannot be plotted. It is left out."),
                    ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData, InputObject));
            return;
        }
        int cluster = 0;
        if (_clusterProperty.Length == 0 && !_warnedUnlabelled && ClusterProperty is null
            && LabelProperty(InputObject) is { } later)
        {
            // The first input decided that the points carry no labels; a later one that does would be drawn in one colour without a word.
            _warnedUnlabelled = true;
            NonPromptingStreams.Warning(this, $"Input {index} has a '{later}' property, but input 1 had neither Cluster nor TrueCluster, so every point is plotted " +
                $"in one colour, without clusters. Give -ClusterProperty {later} to colour by it (inputs without it are then reported and left out).");
        }
        if (_clusterProperty.Length > 0)
        {
            string labelName = _clusterProperty;
            if (!TryNumber(InputObject, labelName, out double label) || label != Math.Floor(label))
            {
                _badLabels++;
                _errors.Report(ErrorIds.MissingProperty, ErrorCategory.InvalidData, $"no whole-number '{labelName}' property.",
                    () => new ErrorRecord(new ArgumentException($"Input {index} has no whole-number '{labelName}' property; it is left out."),
                        ErrorIds.MissingProperty, ErrorCategory.InvalidData, InputObject));
                return;
            }
            if (label is < int.MinValue or > int.MaxValue)
            {
                // Two labels beyond int would be drawn as one cluster.
                _errors.Report(ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData,
                    $"a '{labelName}' label beyond the labels a plot tells apart (-2,147,483,648 to 2,147,483,647).",
                    () => new ErrorRecord(new ArgumentException(
                        $"Input {index}'s '{labelName}' is {label.ToString("R", CultureInfo.InvariantCulture)}, beyond the labels a plot tells apart (-2,147,483,648 to 2,147,483,647); it is left out."),
                        ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData, InputObject));
                return;
            }
            cluster = (int)label;
        }
        _x.Values.Add(x);
        _y.Values.Add(y);
        _cluster.Add(cluster);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        _errors.Summarize();
        string full = _full!;
        if (_x.Values.Count == 0)
        {
            // With inputs, each was left out with its own error: say so, rather than ask for what they may well have had.
            string why = _received == 0
                ? "No points to plot: pipe objects with X and Y properties (or -XProperty and -YProperty) into Export-ClusterPlot."
                : $"No points to plot: each of the {_received:N0} input{(_received == 1 ? " was" : "s was")} left out (see the errors above)" +
                  (_badLabels == _received ? $"; the '{_clusterProperty}' labels must be whole numbers, as Invoke-KMeans gives them." : ".");
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(why), ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null));
        }
        string title = Title ?? (Model is null ? "K-means clusters" : $"K-means clusters, K = {Model.K.ToString(CultureInfo.InvariantCulture)}");
        PlotDraft? drawn = null;
        PlotDraft Draw() => drawn ??= PlotJob.DrawClusterPlot(full, _x.Values.ToArray(), _y.Values.ToArray(), _cluster.ToArray(), _centroidX, _centroidY,
            _x.Name!, _y.Name!, _clusterProperty == "TrueCluster" ? "True cluster" : "Cluster", Width, Height, title, Format);
        try
        {
            // The path was checked before the first input (PlotFileTarget); what the write does with a file there (a plot
            // a rerun leaves alone, another refused) is decided as the write decides it, so -WhatIf and -Confirm say it.
            PlotVerdict verdict = PlotJob.Foresee(full, Force.IsPresent, Draw);
            if (verdict == PlotVerdict.Refused) throw PlotJob.Refusal(full);
            if (!ShouldProcess(full, PlotJob.Operation(verdict, $"Write a scatter plot of {_x.Values.Count} points ({_x.Name} against {_y.Name})"))) return;
            if (!PlotJob.Publish(full, Draw(), Force.IsPresent)) NonPromptingStreams.Verbose(this, PlotJob.UpToDate(full));
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

    /// <summary>
    /// Settles the axes on the first input that is not $null: the named ones (or the model's) must be properties of it,
    /// else one terminating PropertyNotFound error instead of one error per input; unnamed ones are X and Y when it has
    /// both, otherwise its first two properties that hold numbers (not the cluster labels, nor Invoke-KMeans's Distance
    /// columns), as Invoke-KMeans chooses its columns. -Verbose says which and why.
    /// </summary>
    private void ChooseAxes(PSObject input, int index)
    {
        _axesChecked = true;
        string[] names = PropertyNames(input).ToArray();
        bool ownDistances = PointReader.HasOwnDistances(names);
        bool NotCoordinate(string n) => PointReader.IsModuleColumn(n, ownDistances) || IsAxis(n, _clusterProperty);
        if (_x.Name is null || _y.Name is null)
        {
            // X and Y, the old defaults, when the input has both; else the next properties holding numbers, in order.
            bool xy = Has(input, "X") && Has(input, "Y");
            var numeric = new Queue<string>(names.Where(n => !NotCoordinate(n)
                && !IsAxis(n, XProperty) && !IsAxis(n, YProperty) && TryNumber(input, n, out _)));
            string? Next(string? taken)
            {
                while (numeric.TryDequeue(out string? name)) if (!IsAxis(name, taken)) return name;
                return null;
            }
            string? x = XProperty ?? (xy && !IsAxis("X", YProperty) ? "X" : null);
            string? y = YProperty ?? (xy && !IsAxis("Y", x) ? "Y" : null);
            x ??= Next(y);
            y ??= Next(x);
            if (x is null || y is null)
            {
                string[] held = names.Where(n => !NotCoordinate(n) && TryNumber(input, n, out _)).ToArray();
                TerminatingError.Throw(this, ErrorIds.PropertyNotFound, ErrorCategory.ObjectNotFound, x is null ? "XProperty" : "YProperty",
                    $"Input {index} has {(held.Length == 0 ? "no property" : $"only one property, '{held[0]}',")} besides the cluster labels that holds a number " +
                    $"(its properties: {(names.Length == 0 ? "none" : string.Join(", ", names))}); a scatter plot needs two. Name them with -XProperty and -YProperty.");
            }
            _x.Name = x;
            _y.Name = y;
            _axesFrom = xy && (XProperty is not null || IsAxis(x, "X")) && (YProperty is not null || IsAxis(y, "Y"))
                ? $"input {index} has X and Y"
                : $"the first properties of input {index} that hold numbers";
        }
        NonPromptingStreams.Verbose(this, $"Export-ClusterPlot: plotting '{_x.Name}' across and '{_y.Name}' up" +
            (_axesFrom is null ? "." : $" ({_axesFrom}; name others with -XProperty and -YProperty)."));
        foreach ((string name, string parameter) in new[] { (_x.Name, nameof(XProperty)), (_y.Name, nameof(YProperty)) })
        {
            if (Has(input, name)) continue;
            // None of the inputs may have it (rows of other data, a typo): one error now, not one per input.
            string its = $"Its properties are: {(names.Length == 0 ? "none" : string.Join(", ", names))}.";
            if (Model is not null && (parameter == nameof(XProperty) ? XProperty : YProperty) is null)
            {
                // The axis came from the model: the model and the points do not go together (the documented id for it).
                TerminatingError.Throw(this, ErrorIds.ModelPropertyMismatch, ErrorCategory.InvalidArgument, Model,
                    $"The model was fitted on {string.Join(", ", Model.Properties)}, but input {index} has no '{name}' property. {its} " +
                    "Plot the points the model was fitted on, or leave out -Model.");
            }
            TerminatingError.Throw(this, ErrorIds.PropertyNotFound, ErrorCategory.ObjectNotFound, parameter,
                $"-{parameter} is '{name}', but input {index} has no such property. {its} Name the properties to plot with -XProperty and -YProperty.");
        }
    }

    /// <summary>The label property a point carries by default: Cluster, else TrueCluster, else null.</summary>
    private static string? LabelProperty(PSObject item) => Has(item, "Cluster") ? "Cluster" : Has(item, "TrueCluster") ? "TrueCluster" : null;

    private static bool IsAxis(string name, string? axis) => axis is not null && string.Equals(name, axis, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> PropertyNames(PSObject item) => PointReader.PropertyNames(item, item.BaseObject as IDictionary);

    private static bool TryNumber(PSObject item, string name, out double value) =>
        NumberConversion.TryToDouble(Cell(item, name), out value) && double.IsFinite(value);

    private static bool Has(PSObject item, string name) =>
        item.BaseObject is IDictionary dictionary ? DictionaryKeys.TryGetValue(dictionary, name, out _) : item.Properties[name] is not null;

    /// <summary>A property's value; for a hashtable or other dictionary (which Invoke-KMeans takes as points too), its entry's.</summary>
    private static object? Cell(PSObject item, string name) =>
        item.BaseObject is IDictionary dictionary ? (DictionaryKeys.TryGetValue(dictionary, name, out object? value) ? value : null) : item.Properties[name]?.Value;

    /// <summary>One axis: the property it plots (settled by -XProperty/-YProperty, -Model or the first input) and its values.</summary>
    private sealed class Axis
    {
        public string? Name { get; set; }
        public List<double> Values { get; } = new();
    }
}
