using KMeansPS.Input;

namespace KMeansPS.Clustering;

/// <summary>
/// How user values become the float32 values the engine clusters, in two steps, both in double precision:
/// <list type="number">
/// <item>The working value: the value itself, or its z-score (value - mean) / standard deviation with -Standardize.
/// Distances, inertia and silhouettes are measured here.</item>
/// <item>The engine value: (working - offset) x 2^-exponent, the offset being the middle of each column's range and the
/// exponent putting the widest column within ±1.</item>
/// </list>
/// Centring is what keeps large offsets exact (Unix times near 1.7e9 with fractions of a second, metres in a national
/// grid): float32 holds 7 significant digits of the value, but of the value less its column's centre it holds the
/// digits that differ between points. The scale is a power of two common to all columns, so it is exact and changes no
/// distance comparison; it keeps squared distances of values up to 1e300 from overflowing float32, and those of tiny
/// values from vanishing.
/// </summary>
internal sealed class FeatureSpace
{
    /// <summary>Engine values beyond this magnitude would make squared distances overflow float32.</summary>
    public const double EngineLimit = 1L << 50;

    private FeatureSpace(double[] offset, int exponent, double[]? mean, double[]? deviation)
    {
        Offset = offset;
        Exponent = exponent;
        Mean = mean;
        Deviation = deviation;
        // 2^-Exponent as a factor (multiplying by it is exact, as ScaleB is), when it is a normal double.
        _factor = Math.Abs(exponent) <= 1000 ? Math.ScaleB(1.0, -exponent) : 0;
    }

    private readonly double _factor;

    /// <summary>Per column, the working value mapped to engine 0.</summary>
    public double[] Offset { get; }
    /// <summary>Engine value = (working - offset) x 2^-Exponent.</summary>
    public int Exponent { get; }
    /// <summary>Standardization means, or null.</summary>
    public double[]? Mean { get; }
    /// <summary>Standardization deviations (1 for a constant column), or null.</summary>
    public double[]? Deviation { get; }

    public int Dimensions => Offset.Length;

    public double Working(double value, int column) => Mean is null ? value : (value - Mean[column]) / Deviation![column];

    public double Original(double working, int column) => Mean is null ? working : Mean[column] + working * Deviation![column];

    public double Engine(double value, int column) => Scale(Working(value, column) - Offset[column]);

    /// <summary>A difference of working values in engine scale (x 2^-Exponent), exactly.</summary>
    public double Scale(double difference) => _factor != 0 ? difference * _factor : Math.ScaleB(difference, -Exponent);

    public double WorkingFromEngine(double engine, int column) => Offset[column] + Math.ScaleB(engine, Exponent);

    /// <summary>The space of a table's rows: each column centred on the middle of its range.</summary>
    public static FeatureSpace ForData(PointTable table, double[]? mean, double[]? deviation, int threads = 1)
    {
        int dims = table.Dimensions;
        int blocks = table.Columns[0].BlockCount;
        var min = new double[blocks * dims];
        var max = new double[blocks * dims];
        var probe = new FeatureSpace(new double[dims], 0, mean, deviation);
        BlockLoop.Run(blocks, threads, b =>
        {
            for (int j = 0; j < dims; j++)
            {
                double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                foreach (double x in table.Columns[j].Block(b))
                {
                    double w = probe.Working(x, j);
                    if (w < lo) lo = w;
                    if (w > hi) hi = w;
                }
                min[b * dims + j] = lo;
                max[b * dims + j] = hi;
            }
        });
        var columnMin = new double[dims];
        var columnMax = new double[dims];
        for (int j = 0; j < dims; j++)
        {
            columnMin[j] = double.PositiveInfinity;
            columnMax[j] = double.NegativeInfinity;
            for (int b = 0; b < blocks; b++)
            {
                columnMin[j] = Math.Min(columnMin[j], min[b * dims + j]);
                columnMax[j] = Math.Max(columnMax[j], max[b * dims + j]);
            }
        }
        return Centred(columnMin, columnMax, mean, deviation);
    }

    /// <summary>The space of a model's centres (K x D, user units), used to assign points to them.</summary>
    public static FeatureSpace ForCentroids(double[][] centroids, double[]? mean, double[]? deviation)
    {
        int dims = centroids[0].Length;
        var min = new double[dims];
        var max = new double[dims];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        var probe = new FeatureSpace(new double[dims], 0, mean, deviation);
        foreach (double[] centre in centroids)
        {
            for (int j = 0; j < dims; j++)
            {
                double w = probe.Working(centre[j], j);
                min[j] = Math.Min(min[j], w);
                max[j] = Math.Max(max[j], w);
            }
        }
        return Centred(min, max, mean, deviation);
    }

    private static FeatureSpace Centred(double[] min, double[] max, double[]? mean, double[]? deviation)
    {
        int dims = min.Length;
        var offset = new double[dims];
        double span = 0;
        for (int j = 0; j < dims; j++)
        {
            // Halves first: min + max could overflow for values near the 1e300 limit.
            offset[j] = min[j] / 2 + max[j] / 2;
            span = Math.Max(span, Math.Max(max[j] - offset[j], offset[j] - min[j]));
        }
        int exponent = span > 0 ? Math.ILogB(span) + 1 : 0;
        return new FeatureSpace(offset, exponent, mean, deviation);
    }

    /// <summary>
    /// The table's rows as engine values, N x D row-major. Rows with a value beyond <see cref="EngineLimit"/> are
    /// listed in <paramref name="beyond"/> (null when there are none) and given zeros. A <paramref name="reuse"/>
    /// buffer of the right length is filled instead of a new one (a fit's rows, once the engine is done with them).
    /// </summary>
    public float[] EngineRows(PointTable table, out List<int>? beyond, int threads = 1, float[]? reuse = null)
    {
        int n = table.Count, dims = table.Dimensions;
        float[] rows = reuse is not null && reuse.LongLength == (long)n * dims ? reuse : new float[(long)n * dims];
        int blocks = table.Columns[0].BlockCount;
        var far = new List<int>?[blocks];
        BlockLoop.Run(blocks, threads, b =>
        {
            int start = b * DoubleColumn.BlockLength;
            for (int j = 0; j < dims; j++)
            {
                ReadOnlySpan<double> values = table.Columns[j].Block(b);
                for (int i = 0; i < values.Length; i++)
                {
                    double v = Engine(values[i], j);
                    if (Math.Abs(v) > EngineLimit)
                    {
                        far[b] ??= new List<int>();
                        far[b]!.Add(start + i);
                    }
                    rows[(long)(start + i) * dims + j] = (float)v;
                }
            }
        });
        beyond = null;
        for (int b = 0; b < blocks; b++)
        {
            if (far[b] is null) continue;
            beyond ??= new List<int>();
            beyond.AddRange(far[b]!.Distinct().Order());
        }
        if (beyond is not null)
        {
            foreach (int i in beyond) rows.AsSpan(i * dims, dims).Clear();
        }
        return rows;
    }

    /// <summary>The first column of point <paramref name="row"/> whose engine value lies beyond <see cref="EngineLimit"/> (one <see cref="EngineRows"/> listed), or -1.</summary>
    public int FarColumn(PointTable table, int row)
    {
        for (int j = 0; j < table.Dimensions; j++)
            if (!(Math.Abs(Engine(table.Value(row, j), j)) <= EngineLimit)) return j;
        return -1;
    }

    /// <summary>Centres in user units (K x D) as engine values, K x D row-major; null when one is beyond <see cref="EngineLimit"/>.</summary>
    public float[]? EngineCentroids(double[][] centroids)
    {
        int dims = Dimensions;
        var result = new float[centroids.Length * dims];
        for (int c = 0; c < centroids.Length; c++)
        {
            for (int j = 0; j < dims; j++)
            {
                double v = Engine(centroids[c][j], j);
                if (!(Math.Abs(v) <= EngineLimit)) return null;
                result[c * dims + j] = (float)v;
            }
        }
        return result;
    }

    /// <summary>
    /// Weights for the engine (float32): scaled by a common power of two so the largest is below 1, which keeps weights
    /// of 1e39 finite and changes no centre. Empty when the table has no weights.
    /// </summary>
    public static float[] EngineWeights(PointTable table)
    {
        if (table.Weights is null) return [];
        int exponent = WeightExponent(table);
        if (exponent == int.MinValue)
        {
            throw new FitInputException(ErrorIds.ZeroTotalWeight,
                $"Every weight is zero ({table.Count} rows): at least one point needs a positive weight to have a centre.");
        }
        return EngineWeights(table, exponent);
    }

    /// <summary>
    /// The weights x 2^-<paramref name="exponent"/> as float32 (a stream keeps its first batch's exponent). A positive
    /// weight too small beside the largest for float32 (below 2^-149 of it) is given float32's smallest positive value
    /// instead of zero: its point still counts as present, and the centres and inertia reported are recomputed in double
    /// with the weights as given. A weight too large for the scale (a stream's later row about 2^128 times the first
    /// rows' largest) comes out infinite; <see cref="Bridge.StreamingRun"/> leaves such rows out.
    /// </summary>
    public static float[] EngineWeights(PointTable table, int exponent)
    {
        if (table.Weights is null) return [];
        var result = new float[table.Count];
        for (int i = 0; i < result.Length; i++)
        {
            double weight = table.Weights[i];
            float scaled = (float)Math.ScaleB(weight, -exponent);
            result[i] = scaled == 0 && weight > 0 ? float.Epsilon : scaled;
        }
        return result;
    }

    /// <summary>The exponent that puts the largest weight in [0.5, 1); int.MinValue when every weight is zero.</summary>
    public static int WeightExponent(PointTable table)
    {
        double max = 0;
        for (int i = 0; i < table.Count; i++) max = Math.Max(max, table.Weight(i));
        return max > 0 ? Math.ILogB(max) + 1 : int.MinValue;
    }
}
