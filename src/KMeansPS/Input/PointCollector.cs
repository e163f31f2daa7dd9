using System.Collections;
using System.Globalization;
using System.Management.Automation;
using KMeansPS.Output;
using KMeansPS.Pipeline;

namespace KMeansPS.Input;

/// <summary>
/// Reads Invoke-KMeans' input one pipeline object at a time: objects by their numeric properties (numbers in strings
/// count), arrays of numbers, plain numbers, or one SyntheticClusterMatrix alone. A point that cannot be read is
/// reported as a non-terminating error and left out; input that cannot be clustered at all ends the command.
/// </summary>
internal sealed class PointCollector
{
    // Label-like properties that are never coordinates by default.
    private static readonly HashSet<string> LabelProperties = new(StringComparer.OrdinalIgnoreCase) { "TrueCluster", "Cluster" };

    private readonly PSCmdlet _cmdlet;
    private readonly string[]? _property;
    private readonly string? _weight;
    private readonly List<PSObject> _objects = new();
    private readonly List<double> _values = new();
    private readonly List<float> _weights = new();
    private string[]? _properties;
    private SyntheticClusterMatrix? _matrix;
    private int _received;

    /// <param name="cmdlet">Where errors are reported.</param>
    /// <param name="property">The properties to cluster on (-Property), or null for every numeric one of the first object.</param>
    /// <param name="weight">The property holding each point's weight (-Weight), or null.</param>
    public PointCollector(PSCmdlet cmdlet, string[]? property, string? weight)
    {
        _cmdlet = cmdlet;
        _property = property;
        _weight = weight;
    }

    public void Add(PSObject input)
    {
        int index = _received++;
        object baseObject = input.BaseObject;

        if (baseObject is SyntheticClusterMatrix matrix)
        {
            if (_received > 1 || _matrix is not null)
            {
                TerminatingError.Throw(_cmdlet, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, matrix,
                    "A SyntheticClusterMatrix must be the only input: pipe it alone.");
            }
            _matrix = matrix;
            return;
        }
        if (_matrix is not null)
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, input,
                "A SyntheticClusterMatrix must be the only input: pipe it alone.");
        }

        double[]? point = baseObject switch
        {
            IList list when baseObject is not string => ReadArray(list, index),
            _ when NumberConversion.IsNumber(baseObject) => [Convert.ToDouble(baseObject, CultureInfo.InvariantCulture)],
            _ => ReadProperties(input, index),
        };
        if (point is null) return;

        if (_values.Count > 0 && point.Length != _values.Count / _objects.Count)
        {
            _cmdlet.WriteError(new ErrorRecord(
                new ArgumentException($"Input {index} has {point.Length} coordinates; earlier points have {_values.Count / _objects.Count}."),
                ErrorIds.InconsistentDimensions, ErrorCategory.InvalidData, input));
            return;
        }
        float weight = 1f;
        if (_weight is not null && !TryReadWeight(input, index, out weight)) return;

        _values.AddRange(point);
        _weights.Add(weight);
        _objects.Add(input);
    }

    /// <summary>The points read, once the input has ended; ends the command when there are none.</summary>
    public CollectedPoints Finish()
    {
        if (_matrix is not null)
        {
            return new CollectedPoints
            {
                Data = _matrix.Data,
                Count = _matrix.Count,
                Dimensions = _matrix.Dimensions,
                Names = CoordinateNames.For(_matrix.Dimensions),
                Weights = [],
                Matrix = _matrix,
                Objects = [],
            };
        }
        if (_objects.Count == 0)
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.NoNumericInput, ErrorCategory.InvalidData, null,
                _received == 0 ? "No input: pipe points into Invoke-KMeans." : "No input point could be read; see the errors above.");
        }
        double[] data = _values.ToArray();
        int dimensions = data.Length / _objects.Count;
        return new CollectedPoints
        {
            Data = data,
            Count = _objects.Count,
            Dimensions = dimensions,
            Names = _properties ?? CoordinateNames.For(dimensions),
            Weights = _weight is null ? [] : _weights.ToArray(),
            Objects = _objects,
        };
    }

    private double[]? ReadArray(IList list, int index)
    {
        var point = new double[list.Count];
        for (int j = 0; j < list.Count; j++)
        {
            if (!NumberConversion.TryToDouble(list[j], out point[j]))
            {
                _cmdlet.WriteError(new ErrorRecord(new ArgumentException($"Input {index}: element {j} ('{list[j]}') is not a number."),
                    ErrorIds.NoNumericInput, ErrorCategory.InvalidData, list));
                return null;
            }
            if (!double.IsFinite(point[j])) return NonFinite(index, list);
        }
        if (point.Length == 0)
        {
            _cmdlet.WriteError(new ErrorRecord(new ArgumentException($"Input {index} is an empty array."), ErrorIds.NoNumericInput, ErrorCategory.InvalidData, list));
            return null;
        }
        return point;
    }

    private double[]? ReadProperties(PSObject item, int index)
    {
        _properties ??= _property ?? DefaultProperties(item);
        if (_properties.Length == 0)
        {
            TerminatingError.Throw(_cmdlet, ErrorIds.NoNumericInput, ErrorCategory.InvalidData, item,
                "The first input object has no numeric properties to cluster on; name them with -Property.");
        }
        var point = new double[_properties.Length];
        for (int j = 0; j < _properties.Length; j++)
        {
            PSPropertyInfo? prop = item.Properties[_properties[j]];
            if (prop is null)
            {
                _cmdlet.WriteError(new ErrorRecord(new ArgumentException($"Input {index} has no property '{_properties[j]}'."),
                    ErrorIds.MissingProperty, ErrorCategory.InvalidData, item));
                return null;
            }
            if (!NumberConversion.TryToDouble(prop.Value, out point[j]))
            {
                _cmdlet.WriteError(new ErrorRecord(new ArgumentException($"Input {index}: property '{_properties[j]}' ('{prop.Value}') is not a number."),
                    ErrorIds.NoNumericInput, ErrorCategory.InvalidData, item));
                return null;
            }
            if (!double.IsFinite(point[j])) return NonFinite(index, item);
        }
        return point;
    }

    private double[]? NonFinite(int index, object target)
    {
        _cmdlet.WriteError(new ErrorRecord(new ArgumentException($"Input {index} has a NaN or infinite coordinate; it is left out."),
            ErrorIds.NonFiniteInput, ErrorCategory.InvalidData, target));
        return null;
    }

    private bool TryReadWeight(PSObject item, int index, out float weight)
    {
        weight = 0;
        PSPropertyInfo? prop = item.Properties[_weight!];
        if (prop is not null && NumberConversion.TryToDouble(prop.Value, out double w) && double.IsFinite(w) && w >= 0)
        {
            weight = (float)w;
            return true;
        }
        _cmdlet.WriteError(new ErrorRecord(new ArgumentException($"Input {index}: weight property '{_weight}' is missing, not a number, negative or not finite."),
            ErrorIds.MissingProperty, ErrorCategory.InvalidData, item));
        return false;
    }

    // Numeric properties of the first object, in declaration order; numeric strings count (Import-Csv).
    private string[] DefaultProperties(PSObject item)
    {
        var names = new List<string>();
        foreach (PSPropertyInfo prop in item.Properties)
        {
            if (LabelProperties.Contains(prop.Name) || string.Equals(prop.Name, _weight, StringComparison.OrdinalIgnoreCase)) continue;
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
}
