using System.Collections;
using System.Globalization;
using System.Management.Automation;
using KMeansPS.Output;
using KMeansPS.Pipeline;

namespace KMeansPS.Input;

/// <summary>
/// Reads points from the pipeline one object at a time into compact double columns (<see cref="PointTable"/>): no
/// input object is kept unless it is to be emitted again. What a point is, and which columns are used:
/// <list type="bullet">
/// <item>An object's coordinates are its properties (a hashtable's keys). With -Property they are the named ones.
/// Otherwise they are the properties of the first object (the columns of a CSV file), except TrueCluster, Cluster, the
/// -Weight property and Distance beside Distances (what -PassThru -IncludeDistance adds), that hold a number in at least one row and never hold text that is not a number; a blank
/// cell does not disqualify a column. A column holding both numbers and other text is left out with a warning.</item>
/// <item>An array of numbers is one point, a number (or numeric text) a one-coordinate point; a SyntheticClusterMatrix
/// must come alone.</item>
/// <item>A row with a blank, missing, non-numeric, NaN, infinite or out-of-range (beyond ±1e300) coordinate, or a bad
/// weight, is reported as a non-terminating error naming the row (counted from 1) and the column, and left out: the
/// first 10 of each kind, then one error counting the rest (<see cref="RepeatedErrorLimit"/>).</item>
/// </list>
/// Without -Property the columns are decided once <c>decideAfter</c> rows have been read (every row for an ordinary
/// fit; the first rows for a stream), so errors about those rows come then.
/// </summary>
internal sealed partial class PointReader
{
    /// <summary>Coordinates beyond this magnitude are refused: differences and means of values up to it stay finite in double precision.</summary>
    public const double MaxMagnitude = 1e300;

    // Label-like properties that are never coordinates by default.
    private static readonly HashSet<string> LabelProperties = new(StringComparer.OrdinalIgnoreCase) { "TrueCluster", "Cluster" };
    private const string DistanceProperty = "Distance", DistancesProperty = "Distances";
    // Cell marks kept in undecided columns until the columns are chosen (NaN payloads no arithmetic produces).
    private static readonly double BlankMark = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0B1AL);
    private static readonly double MissingMark = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0B1BL);

    private enum Shape { None, Matrix, Numbers, Objects }

    private readonly PSCmdlet _cmdlet;
    private readonly GroupedThousandsCheck _thousands;
    private readonly RoundedIntegerCheck _rounded;
    private readonly UnderflowCheck _underflow;
    private readonly string[]? _property;
    private readonly bool _propertyFromModel;
    private readonly string? _weight;
    private readonly bool _keepObjects;
    private readonly int _decideAfter;
    private readonly string _verbosePrefix;

    private Shape _shape;
    private int _received;
    private SyntheticClusterMatrix? _matrix;
    // Decided columns (names and values), or null while the columns of objects are still undecided.
    private string[]? _names;
    private DoubleColumn[]? _columns;
    private Candidate[]? _candidates;
    private List<int>? _rowNumbers;
    // Columns blank in every row that decided the columns, while rows still come (a stream's later rows): the first
    // number in one is told, since the column is not clustered on although it holds data.
    private List<string>? _blankWhenDecided;
    private int _decidedOn;
    private DoubleColumn? _weights;
    private List<PSObject>? _objects;
    // The input row number of each row held, when asked for (a stream's later errors name the row).
    private List<int>? _heldRows;
    private int _accepted;
    private readonly RepeatedErrorLimit _errors;

    /// <param name="cmdlet">Where errors, warnings and verbose messages go.</param>
    /// <param name="property">-Property, or null to choose the columns from the data.</param>
    /// <param name="weight">-Weight, or null.</param>
    /// <param name="keepObjects">Keep each accepted input object (-PassThru).</param>
    /// <param name="decideAfter">Rows after which the columns are chosen when -Property is not given.</param>
    /// <param name="trackRows">Keep each held row's input row number (<see cref="PointTable.RowNumber"/>).</param>
    /// <param name="propertyFromModel"><paramref name="property"/> is a model's properties, not -Property: numbers and
    /// arrays of numbers are then read as points in that order (as the model was fitted on them, or as scikit-learn's
    /// predict reads an array's columns).</param>
    public PointReader(PSCmdlet cmdlet, string[]? property, string? weight, bool keepObjects, int decideAfter = int.MaxValue,
        bool propertyFromModel = false, bool trackRows = false)
    {
        if (trackRows) _heldRows = new List<int>();
        _cmdlet = cmdlet;
        _errors = new RepeatedErrorLimit(cmdlet, "row");
        _thousands = new GroupedThousandsCheck(cmdlet);
        _rounded = new RoundedIntegerCheck(cmdlet);
        _underflow = new UnderflowCheck(cmdlet);
        _property = property;
        _propertyFromModel = propertyFromModel && property is not null;
        if (!_propertyFromModel && property?.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            // A column named twice would count twice in every distance.
            TerminatingError.Throw(cmdlet, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, "Property",
                $"-Property names '{twice.Key}' {twice.Count()} times; name each property once.");
        }
        _weight = weight;
        _keepObjects = keepObjects;
        _decideAfter = Math.Max(1, decideAfter);
        _verbosePrefix = cmdlet.MyInvocation.MyCommand.Name;
        if (weight is not null) _weights = new DoubleColumn();
        if (keepObjects) _objects = new List<PSObject>();
    }

    /// <summary>Input objects read so far (accepted or not).</summary>
    public int Received => _received;

    /// <summary>True once the columns are known (always, except for objects without -Property before <c>decideAfter</c> rows).</summary>
    public bool Decided => _columns is not null;

    /// <summary>Accepted rows held now (after the columns are decided).</summary>
    public int Pending => _columns is null ? 0 : _columns[0].Count;

    /// <summary>The coordinate names, once decided.</summary>
    public string[]? Names => _names;

    /// <summary>A $null row: reported and left out, and counted, so that the rows after it keep their numbers.</summary>
    public void AddNull() =>
        RowError(ErrorIds.MissingProperty, $"Row {++_received} is $null, which holds no point; it is left out.", null);

    public void Add(PSObject input)
    {
        int row = ++_received;
        object? value = NumberConversion.Unwrap(input);
        if (value is SyntheticClusterMatrix matrix)
        {
            AddMatrix(matrix, input);
            return;
        }
        if (_shape == Shape.Matrix) MatrixAlone(input);
        if (_shape == Shape.None)
        {
            _shape = value is IDictionary || (value is not string && value is not IList && !NumberConversion.IsNumber(value!)) ? Shape.Objects : Shape.Numbers;
            if (_shape == Shape.Numbers && ((_property is not null && !_propertyFromModel) || _weight is not null))
            {
                TerminatingError.Throw(_cmdlet, ErrorIds.PropertyNotFound, ErrorCategory.ObjectNotFound, _property is not null ? "Property" : "Weight",
                    $"-{(_property is not null ? "Property" : "Weight")} names a property, but the input is numbers or arrays of numbers, which have none. Pipe objects with properties, or leave the parameter out.");
            }
        }
        if (_shape == Shape.Numbers) AddNumbers(value, row, input);
        else AddObject(input, value, row);
    }

    /// <summary>The rows held now as a table, the reader keeping them (the columns must be decided); read it before the next row is added.</summary>
    public PointTable Peek() => new(_names!, _columns!, _weights, _objects, _matrix, _heldRows);

    /// <summary>The rows read so far as a table (the columns are decided first); the reader then starts empty again.</summary>
    public PointTable Take()
    {
        if (_columns is null) Decide();
        var table = new PointTable(_names!, _columns!, _weights, _objects, _matrix, _heldRows);
        if (_heldRows is not null) _heldRows = new List<int>();
        _columns = _names!.Select(_ => new DoubleColumn()).ToArray();
        if (_weights is not null) _weights = new DoubleColumn();
        if (_objects is not null) _objects = new List<PSObject>();
        return table;
    }

    /// <summary>Every point read, once the input has ended; ends the command when there are none.</summary>
    public PointTable Finish()
    {
        if (_columns is null && _shape != Shape.None) Decide();
        SummarizeErrors();
        if (_accepted == 0)
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null,
                _received == 0 ? $"No input: pipe points into {_verbosePrefix}." : "No input row could be read; see the errors above.");
        }
        return Take();
    }

    private void AddMatrix(SyntheticClusterMatrix matrix, PSObject input)
    {
        if (_shape != Shape.None) MatrixAlone(input);
        string[] coordinates = CoordinateNames.For(matrix.Dimensions);
        // -Property (or a model's properties) may name the matrix's coordinates, in any order.
        int[] picked = _property is null
            ? Enumerable.Range(0, coordinates.Length).ToArray()
            : _property.Select(p => Array.FindIndex(coordinates, c => string.Equals(c, p, StringComparison.OrdinalIgnoreCase))).ToArray();
        if (_weight is not null || picked.Contains(-1))
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.PropertyNotFound, ErrorCategory.ObjectNotFound, matrix,
                $"-{(_weight is not null ? "Weight" : "Property")} names {(_weight is not null ? $"'{_weight}'" : string.Join(", ", _property!.Where((_, i) => picked[i] < 0).Select(p => $"'{p}'")))}, " +
                $"but a SyntheticClusterMatrix has only its coordinates {string.Join(", ", coordinates)}.");
        }
        _shape = Shape.Matrix;
        _matrix = matrix;
        _names = picked.Select(j => coordinates[j]).ToArray();
        NonPromptingStreams.Verbose(_cmdlet, $"{_verbosePrefix}: a matrix of {matrix.Count} points, clustering on {string.Join(", ", _names)}.");
        _columns = new DoubleColumn[picked.Length];
        for (int c = 0; c < picked.Length; c++)
        {
            _columns[c] = new DoubleColumn();
            _columns[c].AddStrided(matrix.Data, picked[c], matrix.Dimensions, matrix.Count);
        }
        _heldRows?.AddRange(Enumerable.Range(1, matrix.Count)); // a matrix's rows, counted from 1
        _accepted = matrix.Count;
    }

    private void MatrixAlone(object target) =>
        TerminatingError.Throw(_cmdlet, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, target,
            "A SyntheticClusterMatrix must be the only input: pipe it alone.");

    private void AddNumbers(object? value, int row, PSObject input)
    {
        IList? list = value as IList;
        if (value is string || list is null)
        {
            list = new[] { value };
        }
        else if (list.Count == 0)
        {
            RowError(ErrorIds.NoNumericInput, $"Row {row} is an empty array; it is left out.", input);
            return;
        }
        if (_columns is null)
        {
            _names = _propertyFromModel ? _property! : CoordinateNames.For(list.Count);
            _columns = _names.Select(_ => new DoubleColumn()).ToArray();
            NonPromptingStreams.Verbose(_cmdlet, $"{_verbosePrefix}: points of {_names.Length} coordinates, read as {string.Join(", ", _names)}.");
        }
        if (list.Count != _columns.Length)
        {
            RowError(ErrorIds.InconsistentDimensions, _propertyFromModel
                ? $"Row {row} has {list.Count} coordinate{(list.Count == 1 ? "" : "s")}; the model has {_columns.Length} ({string.Join(", ", _names!)}). It is left out."
                : $"Row {row} has {list.Count} coordinates; earlier rows have {_columns.Length}. It is left out.", input);
            return;
        }
        Span<double> point = list.Count <= 64 ? stackalloc double[list.Count] : new double[list.Count];
        for (int j = 0; j < list.Count; j++)
        {
            CellKind kind = NumberConversion.Read(list[j], out point[j]);
            if (kind != CellKind.Number)
            {
                string shown = Describe(list[j]);
                string what = list.Count == 1 && value is not IList ? $"Row {row} ({shown})" : $"Row {row}: element {j + 1} ({shown})";
                RowError(ErrorIds.NoNumericInput, $"{what} is not a number{TextHint(list[j])}; it is left out.{ArrayOfObjectsHint(value, list[j])}", input);
                return;
            }
            if (!CheckValue(point[j], row, list.Count == 1 ? null : $"element {j + 1}", input)) return;
            NoteRounding(_names![j], list[j], point[j], row);
        }
        for (int j = 0; j < point.Length; j++) _columns[j].Add(point[j]);
        Accept(input, row);
    }

    private void AddObject(PSObject input, object? value, int row)
    {
        var dictionary = value as IDictionary;
        double weight = 1;
        if (_weight is not null && !TryReadWeight(input, dictionary, row, out weight)) return;

        if (_columns is null && _property is not null)
        {
            _names = _property;
            _columns = _names.Select(_ => new DoubleColumn()).ToArray();
            NonPromptingStreams.Verbose(_cmdlet, $"{_verbosePrefix}: clustering on {string.Join(", ", _names)}.");
        }
        if (_columns is not null)
        {
            if (_blankWhenDecided is not null) NoteLateNumbers(input, dictionary, row);
            Span<double> point = _names!.Length <= 64 ? stackalloc double[_names.Length] : new double[_names.Length];
            for (int j = 0; j < _names.Length; j++)
            {
                CellKind kind = ReadCell(input, dictionary, _names[j], out point[j], out bool missing, out object? raw);
                // Named columns the first row lacks are a wrong name, not a gap in the data: one error, as for -Weight,
                // rather than one per row of a file that has no such column.
                if (missing && row == 1 && _property is not null)
                {
                    TerminatingError.Throw(_cmdlet, ErrorIds.PropertyNotFound, ErrorCategory.ObjectNotFound, _names[j], _propertyFromModel
                        ? $"The model was fitted on '{_names[j]}', but the first row has no such property. Its properties are: {string.Join(", ", PropertyNames(input, dictionary))}."
                        : $"-Property names '{_names[j]}', but the first row has no such property. Its properties are: {string.Join(", ", PropertyNames(input, dictionary))}.");
                }
                if (kind == CellKind.Blank)
                {
                    RowError(ErrorIds.MissingProperty, missing
                        ? $"Row {row} has no property '{_names[j]}'; it is left out."
                        : $"Row {row} has no value for '{_names[j]}'; it is left out.", input, $"no value for '{_names[j]}'.");
                    return;
                }
                if (kind == CellKind.Text)
                {
                    RowError(ErrorIds.NoNumericInput, $"Row {row}: '{_names[j]}' holds '{raw}', which is not a number{TextHint(raw)}; the row is left out.", input,
                    $"'{_names[j]}' holds text that is not a number.");
                    return;
                }
                if (!CheckValue(point[j], row, _names[j], input)) return;
                _thousands.Note(_names[j], raw, point[j], row);
                NoteRounding(_names[j], raw, point[j], row);
            }
            for (int j = 0; j < point.Length; j++) _columns[j].Add(point[j]);
            _weights?.Add(weight);
            Accept(input, row);
            return;
        }

        // Columns not yet decided: remember every candidate's cell, decide later.
        _candidates ??= CandidatesOf(input, dictionary);
        _rowNumbers ??= new List<int>();
        foreach (Candidate candidate in _candidates)
        {
            CellKind kind = ReadCell(input, dictionary, candidate.Name, out double number, out bool missing, out object? raw);
            candidate.Add(kind, number, missing, raw, row);
            if (kind == CellKind.Number)
            {
                _thousands.Note(candidate.Name, raw, number, row);
                NoteRounding(candidate.Name, raw, number, row);
            }
        }
        _rowNumbers.Add(row);
        _weights?.Add(weight);
        _objects?.Add(input);
        if (_rowNumbers.Count >= _decideAfter) Decide();
    }

    private void Accept(PSObject input, int row)
    {
        _objects?.Add(input);
        _heldRows?.Add(row);
        _accepted++;
    }

    /// <summary>A value as a row error shows it: text quoted, anything else by its text or, when that is empty, its type.</summary>
    private static string Describe(object? value)
    {
        value = NumberConversion.Unwrap(value);
        if (value is string text) return $"'{text}'";
        string? shown = value is PSCustomObject ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(shown) ? $"an object of type {value?.GetType().Name ?? "null"}" : $"'{shown}'";
    }

    /// <summary>
    /// An array whose element is an object with properties: most likely a collection handed to -InputObject, which
    /// takes one array as one point (as PowerShell's cmdlets take -InputObject whole), where piping it was meant.
    /// </summary>
    private static string ArrayOfObjectsHint(object? row, object? element) =>
        row is IList && NumberConversion.Unwrap(element) is PSCustomObject or IDictionary
            ? " An array is read as one point whose elements are its coordinates; to cluster the objects in a collection, pipe them ($items | Invoke-KMeans) rather than giving the collection to -InputObject."
            : "";

    private static string TextHint(object? raw)
    {
        if (raw is not string s) return "";
        // Text that this session's culture reads as a number: most likely a file PowerShell wrote under that culture
        // (Export-Csv formats numbers with it), so say how to write one the module reads the same everywhere.
        if (ReadsInSessionCulture(s))
            return $" in the invariant culture, though it is one in this session's culture ({CultureInfo.CurrentCulture.Name}): numbers are read with '.' " +
                "as the decimal point in every culture, so that a file reads the same wherever it runs; write the file under the invariant culture " +
                "([cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture before Export-Csv)";
        return s.Contains(',') ? " (numbers are read with '.' as the decimal point and no thousands separator)" : "";
    }

    /// <summary>
    /// Text that is no number in the invariant culture but a finite one in this session's, whose decimal point is not
    /// '.' (its infinity symbol, '∞', is refused in any culture, so writing the file another way would not help).
    /// </summary>
    private static bool ReadsInSessionCulture(string? text) =>
        text is not null && CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator != "."
        && double.TryParse(text, NumberStyles.Float, CultureInfo.CurrentCulture, out double value) && double.IsFinite(value);

    /// <summary>
    /// Text a reader would take for a number, as this session's culture (<see cref="ReadsInSessionCulture"/>) or with
    /// ',' grouping thousands ("1,500", "-12,000.25": a spreadsheet's export), which is not one here.
    /// </summary>
    private static bool ReadsAsNumberElsewhere(string? text) => ReadsInSessionCulture(text) || (text is not null && GroupedWithCommas().IsMatch(text.Trim()));

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex GroupedWithCommas();

    private bool CheckValue(double value, int row, string? column, object target)
    {
        string where = column is null ? $"Row {row}" : $"Row {row}: '{column}'";
        if (!double.IsFinite(value))
        {
            RowError(ErrorIds.NonFiniteInput, $"{where} is {value.ToString(CultureInfo.InvariantCulture)}, not a finite number; the row is left out.", target);
            return false;
        }
        if (Math.Abs(value) > MaxMagnitude)
        {
            RowError(ErrorIds.ValueOutOfRange, $"{where} is {(Math.Abs(value) == double.MaxValue ? "at or beyond double's range" : value.ToString("R", CultureInfo.InvariantCulture))}; coordinates beyond ±1e300 cannot be clustered (their distances overflow). The row is left out.", target);
            return false;
        }
        return true;
    }

    private bool TryReadWeight(PSObject input, IDictionary? dictionary, int row, out double weight)
    {
        CellKind kind = ReadCell(input, dictionary, _weight!, out weight, out bool missing, out object? raw);
        if (missing && _received == 1)
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.PropertyNotFound, ErrorCategory.ObjectNotFound, _weight,
                $"-Weight names '{_weight}', but the first row has no such property. Its properties are: {string.Join(", ", PropertyNames(input, dictionary))}.");
        }
        if (kind == CellKind.Blank)
        {
            RowError(ErrorIds.MissingProperty, missing
                ? $"Row {row} has no weight property '{_weight}'; it is left out."
                : $"Row {row} has no value for the weight '{_weight}'; it is left out.", input);
            return false;
        }
        // "1e400" reads as the largest double (NumberConversion), so that it is refused here, not taken as 1.8e308.
        if (kind == CellKind.Text || !double.IsFinite(weight) || weight < 0 || weight == double.MaxValue)
        {
            string shown = kind == CellKind.Text ? $"'{raw}'" : Math.Abs(weight) == double.MaxValue ? "at or beyond double's range" : weight.ToString(CultureInfo.InvariantCulture);
            RowError(ErrorIds.InvalidWeight, $"Row {row}: the weight '{_weight}' is {shown}; a weight must be a number of at least 0, below double's largest. The row is left out.", input);
            return false;
        }
        return true;
    }

    private static CellKind ReadCell(PSObject input, IDictionary? dictionary, string name, out double number, out bool missing, out object? raw)
    {
        raw = null;
        missing = false;
        if (dictionary is not null)
        {
            if (dictionary.Contains(name)) raw = dictionary[name];
            else if (KeyNamed(dictionary, name) is { } key) raw = dictionary[key]; // @{1 = ...}: a key that is not text
            else missing = true;
        }
        else
        {
            PSPropertyInfo? property = input.Properties[name];
            if (property is null) missing = true;
            else
            {
                try { raw = property.Value; }
                catch (GetValueException) { raw = null; }
            }
        }
        return NumberConversion.Read(raw, out number);
    }

    /// <summary>The key whose invariant text is <paramref name="name"/> (as <see cref="PropertyNames"/> names it), or null.</summary>
    private static object? KeyNamed(IDictionary dictionary, string name)
    {
        foreach (object key in dictionary.Keys)
            if (key is not string && string.Equals(Convert.ToString(key, CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase)) return key;
        return null;
    }

    /// <summary>A row's property names: a dictionary's keys as invariant text, else the object's properties.</summary>
    internal static IEnumerable<string> PropertyNames(PSObject input, IDictionary? dictionary) =>
        dictionary is not null
            ? dictionary.Keys.Cast<object?>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "")
            : input.Properties.Select(p => p.Name);

    /// <summary>
    /// Whether a row's properties hold Distance and Distances together, which is what -PassThru -IncludeDistance writes
    /// (on an object it could not copy, a .NET object's own): its output, not data. A Distance column alone is data (a
    /// trip's length, say).
    /// </summary>
    internal static bool HasOwnDistances(IEnumerable<string> names) => names.Contains(DistancesProperty, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="name"/> is a column the module writes (the labels; the distances, when <paramref name="ownDistances"/>), never data.</summary>
    internal static bool IsModuleColumn(string name, bool ownDistances) =>
        LabelProperties.Contains(name)
        || (ownDistances && (name.Equals(DistanceProperty, StringComparison.OrdinalIgnoreCase) || name.Equals(DistancesProperty, StringComparison.OrdinalIgnoreCase)));

    private Candidate[] CandidatesOf(PSObject input, IDictionary? dictionary)
    {
        string[] names = PropertyNames(input, dictionary).ToArray();
        bool ownDistances = HasOwnDistances(names);
        return names
            .Where(name => !IsModuleColumn(name, ownDistances) && !string.Equals(name, _weight, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => new Candidate(name))
            .ToArray();
    }

    /// <summary>Chooses the columns from the rows held, reports the rows that cannot be used, and keeps the rest.</summary>
    private void Decide()
    {
        if (_shape == Shape.None)
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null, $"No input: pipe points into {_verbosePrefix}.");
        }
        if (_candidates is null)
        {
            // Every row was refused before its columns were looked at (a weight that is not a positive number, say):
            // the rows' own errors say why, not the columns.
            TerminatingError.Throw(_cmdlet, ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null, "No input row could be read; see the errors above.");
        }
        Candidate[] candidates = _candidates;
        List<int> rows = _rowNumbers ?? new List<int>();
        Candidate[] used = candidates.Where(c => c.Values is not null && c.Numbers > 0).ToArray();
        foreach (Candidate mixed in candidates.Where(c => c.Values is null && c.Numbers > 0))
        {
            NonPromptingStreams.Warning(_cmdlet, $"Column '{mixed.Name}' holds numbers, but row {mixed.FirstTextRow} holds '{mixed.FirstText}', which is not a number" +
                $"{TextHint(mixed.FirstText)}; the column is not clustered on. Name it with -Property to cluster on it and see an error for each such row.");
        }
        var skipped = candidates.Where(c => !used.Contains(c))
            .Select(c => c.Values is null ? $"{c.Name} (text)" : $"{c.Name} (blank in every row)").ToArray();
        // A column of text that this session's culture reads as numbers: say so once, with what to do.
        Candidate? localised = candidates.FirstOrDefault(c => c.Values is null && ReadsAsNumberElsewhere(c.FirstText));
        string cultureHint = localised is null ? "" : $" Column '{localised.Name}' holds '{localised.FirstText}', which is not a number{TextHint(localised.FirstText)}.";
        NonPromptingStreams.Verbose(_cmdlet, $"{_verbosePrefix}: clustering on {(used.Length == 0 ? "no column" : string.Join(", ", used.Select(c => c.Name)))}" +
            (skipped.Length == 0 ? "." : $"; not on {string.Join(", ", skipped)}."));
        // Columns left out as text that this session's culture reads as numbers, or numbers with thousands separators,
        // beside columns that are used: the fit would run on the rest without a word but -Verbose's.
        if (used.Length > 0)
        {
            foreach (Candidate text in candidates.Where(c => c.Values is null && c.Numbers == 0 && ReadsAsNumberElsewhere(c.FirstText)))
                NonPromptingStreams.Warning(_cmdlet, $"Column '{text.Name}' holds '{text.FirstText}', which is not a number{TextHint(text.FirstText)}; the column is not clustered on.");
        }
        if (used.Length == 0)
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null,
                candidates.Length == 0
                    ? "The first input object has no properties to cluster on; name them with -Property."
                    : $"No column holds numbers: {string.Join(", ", skipped)}. Name the columns with -Property.{cultureHint}");
        }

        var keep = new bool[rows.Count];
        // A row's error names the row's object when the reader holds the objects (-PassThru), else its number: the
        // rows before the columns were known are not otherwise kept.
        bool objectsHeld = _objects is not null && _objects.Count == rows.Count;
        for (int i = 0; i < rows.Count; i++)
        {
            object target = objectsHeld ? _objects![i] : rows[i];
            keep[i] = true;
            foreach (Candidate column in used)
            {
                double v = column.Values![i];
                long bits = BitConverter.DoubleToInt64Bits(v);
                if (bits == BitConverter.DoubleToInt64Bits(BlankMark) || bits == BitConverter.DoubleToInt64Bits(MissingMark))
                {
                    RowError(ErrorIds.MissingProperty, bits == BitConverter.DoubleToInt64Bits(MissingMark)
                        ? $"Row {rows[i]} has no property '{column.Name}'; it is left out."
                        : $"Row {rows[i]} has no value for '{column.Name}'; it is left out.", target, $"no value for '{column.Name}'.");
                    keep[i] = false;
                    break;
                }
                if (!CheckValue(v, rows[i], column.Name, target))
                {
                    keep[i] = false;
                    break;
                }
            }
        }
        foreach (Candidate column in used) column.Values!.Compact(keep);
        _weights?.Compact(keep);
        if (_objects is not null)
        {
            int write = 0;
            for (int i = 0; i < keep.Length; i++)
            {
                if (keep[i]) _objects[write++] = _objects[i];
            }
            _objects.RemoveRange(write, _objects.Count - write);
        }
        _accepted += keep.Count(k => k);
        for (int i = 0; i < keep.Length; i++)
            if (keep[i]) _heldRows?.Add(rows[i]);
        _names = used.Select(c => c.Name).ToArray();
        _columns = used.Select(c => c.Values!).ToArray();
        List<string> blank = candidates.Where(c => c.Values is not null && c.Numbers == 0).Select(c => c.Name).ToList();
        _blankWhenDecided = blank.Count > 0 ? blank : null;
        _decidedOn = rows.Count;
        _candidates = null;
        _rowNumbers = null;
    }

    /// <summary>
    /// Tells, once per column, a number in a column that was blank in every row that decided the columns: the rows
    /// after them (a stream's) are clustered on the columns decided, without it.
    /// </summary>
    private void NoteLateNumbers(PSObject input, IDictionary? dictionary, int row)
    {
        for (int i = _blankWhenDecided!.Count - 1; i >= 0; i--)
        {
            string name = _blankWhenDecided[i];
            if (ReadCell(input, dictionary, name, out _, out _, out object? raw) != CellKind.Number) continue;
            NonPromptingStreams.Warning(_cmdlet, $"Column '{name}' was blank in the first {_decidedOn:N0} rows, which decided the columns, so it is not " +
                $"clustered on; row {row} holds '{raw}' there. Name the columns with -Property to cluster on it.");
            _blankWhenDecided.RemoveAt(i);
        }
        if (_blankWhenDecided.Count == 0) _blankWhenDecided = null;
    }

    /// <summary>What reading a cell as a double lost, told once per column: integers beyond 2^53, numbers below the smallest double.</summary>
    private void NoteRounding(string column, object? raw, double number, int row)
    {
        _rounded.Note(column, raw, number, row);
        _underflow.Note(column, raw, number, row);
    }

    /// <summary>
    /// A row left out. The first 10 of a kind are written one by one, the rest counted (<see cref="SummarizeErrors"/>):
    /// 10,000 rows with a blank cell give 11 errors, not 10,000. The kind is <paramref name="reason"/>, or the id's.
    /// </summary>
    private void RowError(string id, string message, object? target, string? reason = null) =>
        _errors.Report(id, ErrorCategory.InvalidData, reason ?? ReasonOf(id),
            () => new ErrorRecord(new ArgumentException(message), id, ErrorCategory.InvalidData, target));

    private static string ReasonOf(string id) => id switch
    {
        ErrorIds.MissingProperty => "a missing or blank value.",
        ErrorIds.NoNumericInput => "a value that is not a number.",
        ErrorIds.NonFiniteInput => "a value that is NaN or infinite.",
        ErrorIds.ValueOutOfRange => "a coordinate beyond ±1e300.",
        ErrorIds.InconsistentDimensions => "another number of coordinates than the first rows.",
        ErrorIds.InvalidWeight => "a weight that is not a number of at least 0.",
        _ => $"{id}.",
    };

    /// <summary>Writes one error per kind of row left out beyond the first 10 of it, counting them; once the input has ended (<see cref="Finish"/> does).</summary>
    public void SummarizeErrors() => _errors.Summarize();

    /// <summary>A property of the first object, and what its cells held so far.</summary>
    private sealed class Candidate(string name)
    {
        public string Name { get; } = name;
        /// <summary>One cell per row held (blank and missing marked); null once text that is not a number was seen.</summary>
        public DoubleColumn? Values { get; private set; } = new();
        public int Numbers { get; private set; }
        public int FirstTextRow { get; private set; }
        public string? FirstText { get; private set; }

        public void Add(CellKind kind, double number, bool missing, object? raw, int row)
        {
            switch (kind)
            {
                case CellKind.Number:
                    Numbers++;
                    Values?.Add(number);
                    break;
                case CellKind.Blank:
                    Values?.Add(missing ? MissingMark : BlankMark);
                    break;
                default:
                    if (Values is not null)
                    {
                        Values = null; // not a coordinate: its cells are no longer needed
                        FirstTextRow = row;
                        FirstText = Convert.ToString(raw, CultureInfo.InvariantCulture);
                    }
                    break;
            }
        }
    }
}
