using System.Numerics;
using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Each chunk's bounding box, for k-means++ to skip a chunk a candidate cannot bring any closer: when even the box's
/// nearest corner is farther from the candidate than every closest distance in the chunk, each point keeps its own,
/// and the candidate's sum over the chunk is the chunk's current potential, to the bit.
/// </summary>
internal sealed class ChunkBoxes
{
    /// <summary>
    /// The kernels' squared distance of D fused terms is at least the exact one x (1 - (D + 2) 2^-24) (each difference
    /// and each term rounds once; all terms are non-negative), less (D + 2) 2^-150 where they round among the
    /// subnormals. Four times both margins keep the skip safe; the box bound itself is exact but for doubles' rounding.
    /// </summary>
    private const double UnitRoundoff = 1.0 / (1 << 24);
    private static readonly double SubnormalRounding = Math.ScaleB(1.0, -150);

    private readonly float[] _low;
    private readonly float[] _high;
    private readonly int _dims;
    private readonly double _relativeMargin;
    private readonly double _absoluteMargin;

    private ChunkBoxes(float[] low, float[] high, int dims)
    {
        _low = low;
        _high = high;
        _dims = dims;
        _relativeMargin = 1 - 4 * (dims + 2) * UnitRoundoff;
        _absoluteMargin = 4 * (dims + 2) * SubnormalRounding;
    }

    /// <summary>The boxes of every chunk of <paramref name="points"/>, chunks in parallel.</summary>
    internal static ChunkBoxes Of(PointSet points, int degree, CancellationToken token)
    {
        int dims = points.Dimensions, chunks = points.ChunkCount;
        var low = new float[chunks * dims];
        var high = new float[chunks * dims];
        ChunkScheduler.Run(chunks, degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            for (int d = 0; d < dims; d++)
            {
                var (lo, hi) = Range(points.Planes.AsSpan(d * points.Stride + start, count));
                low[chunk * dims + d] = lo;
                high[chunk * dims + d] = hi;
            }
        }, token);
        return new ChunkBoxes(low, high, dims);
    }

    /// <summary>
    /// A lower bound of the squared distance from <paramref name="candidate"/> to every point of <paramref name="chunk"/>
    /// as the kernels compute it: the candidate cannot bring a point closer whose closest distance is below it.
    /// Zero or less when the bound says nothing (the candidate in or next to the box).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal double KernelDistanceBound(int chunk, ReadOnlySpan<float> candidate)
    {
        ReadOnlySpan<float> low = _low.AsSpan(chunk * _dims, _dims), high = _high.AsSpan(chunk * _dims, _dims);
        double bound = 0;
        for (int d = 0; d < _dims; d++)
        {
            double c = candidate[d];
            double gap = c < low[d] ? low[d] - c : c > high[d] ? c - high[d] : 0;
            bound += gap * gap;
        }
        return bound * _relativeMargin - _absoluteMargin;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float Low, float High) Range(ReadOnlySpan<float> values)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var vlo = new Vector<float>(values);
            var vhi = vlo;
            for (i = Vector<float>.Count; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values[i..]);
                vlo = Vector.Min(vlo, v);
                vhi = Vector.Max(vhi, v);
            }
            for (int lane = 0; lane < Vector<float>.Count; lane++)
            {
                lo = Math.Min(lo, vlo[lane]);
                hi = Math.Max(hi, vhi[lane]);
            }
        }
        for (; i < values.Length; i++)
        {
            lo = Math.Min(lo, values[i]);
            hi = Math.Max(hi, values[i]);
        }
        return (lo, hi);
    }
}
