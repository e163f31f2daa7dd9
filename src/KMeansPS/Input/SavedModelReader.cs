using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using KMeansPS.Output;

namespace KMeansPS.Input;

/// <summary>
/// Rebuilds a <see cref="KMeansModel"/> from a saved form: what Import-Clixml gives back (a Deserialized.KMeansModel),
/// what ConvertFrom-Json gives back, a hashtable with the same names, or the JSON text itself. Only Properties and
/// Centroids are needed (and Means with StandardDeviations for a standardized model); the other members are carried
/// over when present. Anything malformed is an ArgumentException that says what is wrong.
/// </summary>
internal static class SavedModelReader
{
    public static KMeansModel Read(object? saved)
    {
        // A deserialized or ConvertFrom-Json object is a PSObject whose members are its own: keep it wrapped.
        if (saved is PSObject wrapper && wrapper.BaseObject is KMeansModel or string or IDictionary) saved = NumberConversion.Unwrap(wrapper);
        if (saved is KMeansModel model) return model;
        if (saved is string text) saved = ParseJson(text);
        Func<string, object?> member = saved switch
        {
            IDictionary dictionary => name => Lookup(dictionary, name),
            PSObject ps => name => ps.Properties[name]?.Value,
            null => throw new ArgumentException("The model is null."),
            _ => name => PSObject.AsPSObject(saved).Properties[name]?.Value,
        };

        string[] properties = Strings(member("Properties"), "Properties");
        if (properties.Length == 0) throw new ArgumentException("The model's Properties list is empty.");
        // A column named twice would count twice in every distance, as -Property refuses it.
        if (properties.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"The model's Properties list names '{twice.Key}' {twice.Count()} times; a model names each property once.");
        double[][] centroids = Rows(member("Centroids"), "Centroids", properties.Length);
        if (centroids.Length == 0) throw new ArgumentException("The model has no Centroids.");
        double[]? means = OptionalRow(member("Means"), "Means", properties.Length);
        double[]? deviations = OptionalRow(member("StandardDeviations"), "StandardDeviations", properties.Length);
        if ((means is null) != (deviations is null))
            throw new ArgumentException("A standardized model needs both Means and StandardDeviations.");
        if (deviations is not null && deviations.Any(d => !(d > 0)))
            throw new ArgumentException("Every standard deviation of a standardized model must be above 0.");
        // Standardized is what Means and StandardDeviations make it: a saved flag that says otherwise contradicts them.
        if (member("Standardized") is { } flag && NumberConversion.Unwrap(flag) is bool standardized && standardized != (means is not null))
            throw new ArgumentException(standardized
                ? "The model says Standardized = true but has no Means and StandardDeviations, which the z-scores need."
                : "The model says Standardized = false but has Means and StandardDeviations; leave out either the flag or the statistics.");
        int k = centroids.Length;
        int[] labels = member("Labels") is { } l and not string ? Ints(l, "Labels") : [];
        if (labels.Any(x => x < 0 || x >= k)) throw new ArgumentException($"A label is outside 0..{k - 1}.");
        int[] sizes = member("ClusterSizes") is { } s and not string ? Ints(s, "ClusterSizes") : [];
        if (sizes.Length != k)
        {
            sizes = new int[k];
            foreach (int label in labels) sizes[label]++;
        }
        // Weights cannot be recounted from labels alone: kept only when saved whole.
        double[] clusterWeights = member("ClusterWeights") is { } w and not string && Numbers(w, "ClusterWeights") is { } cw && cw.Length == k ? cw : [];
        return new KMeansModel
        {
            K = k,
            Count = OptionalInt(member("Count")) ?? labels.Length,
            Properties = properties,
            Centroids = centroids,
            Labels = labels,
            ClusterSizes = sizes,
            ClusterWeights = clusterWeights,
            Inertia = OptionalDouble(member("Inertia")) ?? double.NaN,
            Iterations = OptionalInt(member("Iterations")) ?? 0,
            Converged = NumberConversion.Unwrap(member("Converged")) is bool converged && converged,
            Algorithm = Algorithm(member("Algorithm")),
            InstructionSet = NumberConversion.Unwrap(member("InstructionSet")) as string ?? "",
            Elapsed = Elapsed(member("Elapsed")),
            Seed = OptionalInt(member("Seed")) ?? 0,
            Restarts = OptionalInt(member("Restarts")) ?? 1,
            Means = means,
            StandardDeviations = deviations,
            Streamed = NumberConversion.Unwrap(member("Streamed")) is bool streamed && streamed,
            Warning = NumberConversion.Unwrap(member("Warning")) as string,
        };
    }

    private static object? Lookup(IDictionary dictionary, string name) => DictionaryKeys.TryGetValue(dictionary, name, out object? value) ? value : null;

    private static object? ParseJson(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return FromJson(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The text is not a JSON model: {ex.Message}", ex);
        }
    }

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Hashtable(StringComparer.OrdinalIgnoreCase),
            (table, p) => { table[p.Name] = FromJson(p.Value); return table; }),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static IEnumerable<object?> Items(object? value, string name)
    {
        value = NumberConversion.Unwrap(value);
        if (value is IEnumerable items and not string) return items.Cast<object?>();
        throw new ArgumentException($"The model's {name} is {(value is null ? "missing" : "not a list")}.");
    }

    private static string[] Strings(object? value, string name) =>
        Items(value, name).Select(v => NumberConversion.Unwrap(v) as string
            ?? throw new ArgumentException($"The model's {name} must be names (text).")).ToArray();

    private static double[] Numbers(object? value, string name) =>
        Items(value, name).Select(v => NumberConversion.Read(v, out double d) == CellKind.Number && double.IsFinite(d)
            ? d : throw new ArgumentException($"The model's {name} holds '{v}', which is not a finite number.")).ToArray();

    private static double[][] Rows(object? value, string name, int dims) =>
        Items(value, name).Select((row, c) =>
        {
            double[] numbers = Numbers(row, $"{name}[{c}]");
            return numbers.Length == dims ? numbers
                : throw new ArgumentException($"The model's {name}[{c}] has {numbers.Length} values; the model has {dims} properties.");
        }).ToArray();

    private static double[]? OptionalRow(object? value, string name, int dims)
    {
        if (NumberConversion.Unwrap(value) is null) return null;
        double[] row = Numbers(value, name);
        return row.Length == dims ? row : throw new ArgumentException($"The model's {name} has {row.Length} values; the model has {dims} properties.");
    }

    private static int[] Ints(object? value, string name) =>
        Numbers(value, name).Select(d => d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue
            ? (int)d : throw new ArgumentException($"The model's {name} must be whole numbers.")).ToArray();

    private static int? OptionalInt(object? value) =>
        NumberConversion.Read(value, out double d) == CellKind.Number && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int)d : null;

    private static double? OptionalDouble(object? value) =>
        NumberConversion.Read(value, out double d) == CellKind.Number ? d : null;

    private static KMeansAlgorithm Algorithm(object? value)
    {
        value = NumberConversion.Unwrap(value);
        if (value is KMeansAlgorithm algorithm) return algorithm;
        if (value is string s && Enum.TryParse(s, ignoreCase: true, out algorithm) && Enum.IsDefined(algorithm)) return algorithm;
        if (OptionalInt(value) is int i && Enum.IsDefined((KMeansAlgorithm)i)) return (KMeansAlgorithm)i;
        return KMeansAlgorithm.Auto;
    }

    private static TimeSpan Elapsed(object? value)
    {
        value = NumberConversion.Unwrap(value);
        return value switch
        {
            TimeSpan span => span,
            string s when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out TimeSpan parsed) => parsed,
            IDictionary d when OptionalDouble(Lookup(d, "Ticks")) is double ticks => TimeSpan.FromTicks((long)ticks),
            PSObject ps when OptionalDouble(ps.Properties["Ticks"]?.Value) is double ticks => TimeSpan.FromTicks((long)ticks),
            _ => TimeSpan.Zero,
        };
    }
}
