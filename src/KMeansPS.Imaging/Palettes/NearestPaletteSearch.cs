using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KMeansPS.Engine.Kernels;
using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// Nearest palette entry by squared distance in <see cref="MetricColor"/> space; ties go to the lowest index.
/// The palette is held as planes padded to a multiple of 16 with far-away entries, so the vector loops have no tail.
/// </summary>
internal sealed class NearestPaletteSearch
{
    private const float Far = 1e15f; // squared: 1e30 per component, still finite in float
    private readonly float[] _r, _g, _b, _a;
    private readonly int _count;

    public NearestPaletteSearch(ReadOnlySpan<Rgba32> palette)
    {
        if (palette.Length == 0) throw new ArgumentException("The palette is empty.", nameof(palette));
        _count = palette.Length;
        // Padded to 16 so both the 8- and 16-lane loops run without a tail.
        int padded = (palette.Length + 15) & ~15;
        _r = new float[padded]; _g = new float[padded]; _b = new float[padded]; _a = new float[padded];
        for (int i = 0; i < padded; i++)
        {
            if (i < palette.Length)
            {
                MetricColor.ToMetric(palette[i], out _r[i], out _g[i], out _b[i], out _a[i]);
            }
            else
            {
                _r[i] = _g[i] = _b[i] = _a[i] = Far;
            }
        }
    }

    public int Count => _count;

    public int Nearest(Rgba32 color)
    {
        MetricColor.ToMetric(color, out float r, out float g, out float b, out float a);
        return Nearest(r, g, b, a);
    }

    /// <summary>Nearest entry to a point given in metric space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Nearest(float r, float g, float b, float a)
    {
        if (Vector512.IsHardwareAccelerated && _r.Length >= 32) return NearestVector512(r, g, b, a);
        if (Vector256.IsHardwareAccelerated) return NearestVector256(r, g, b, a);
        return NearestScalar(r, g, b, a);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int NearestScalar(float r, float g, float b, float a)
    {
        float best = float.PositiveInfinity;
        int bestIndex = 0;
        for (int i = 0; i < _count; i++)
        {
            float dr = _r[i] - r, dg = _g[i] - g, db = _b[i] - b, da = _a[i] - a;
            float d = dr * dr + dg * dg + db * db + da * da;
            if (d < best) { best = d; bestIndex = i; }
        }
        return bestIndex;
    }

    internal int NearestVector512(float r, float g, float b, float a) =>
        NearestVector<Width512, Vector512<float>, Vector512<int>, Vector512<double>>(r, g, b, a);

    internal int NearestVector256(float r, float g, float b, float a) =>
        NearestVector<Width256, Vector256<float>, Vector256<int>, Vector256<double>>(r, g, b, a);

    /// <summary>
    /// The search written once for every width (the engine's width interface, specialised per width by the JIT):
    /// lane j of block n is entry n * W + j, so each lane keeps the first minimum of its residue class, and the
    /// smallest of those, lowest index on ties, is the scalar reference's answer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int NearestVector<TWidth, TFloats, TInts, TDoubles>(float r, float g, float b, float a)
        where TWidth : struct, IVectorWidth<TFloats, TInts, TDoubles>
        where TFloats : struct
        where TInts : struct
        where TDoubles : struct
    {
        TFloats vr = TWidth.Broadcast(r), vg = TWidth.Broadcast(g), vb = TWidth.Broadcast(b), va = TWidth.Broadcast(a);
        TFloats best = TWidth.Broadcast(float.PositiveInfinity);
        TInts bestBlock = default, block = default;
        fixed (float* pr = _r, pg = _g, pb = _b, pa = _a)
        {
            for (int i = 0; i < _r.Length; i += TWidth.Count)
            {
                TFloats dr = TWidth.Subtract(TWidth.Load(pr + i), vr);
                TFloats dg = TWidth.Subtract(TWidth.Load(pg + i), vg);
                TFloats db = TWidth.Subtract(TWidth.Load(pb + i), vb);
                TFloats da = TWidth.Subtract(TWidth.Load(pa + i), va);
                // dr*dr + dg*dg + db*db + da*da, added left to right as the scalar reference does.
                TFloats d = TWidth.Add(TWidth.Add(TWidth.Add(TWidth.Multiply(dr, dr), TWidth.Multiply(dg, dg)),
                    TWidth.Multiply(db, db)), TWidth.Multiply(da, da));
                TFloats less = TWidth.LessThan(d, best);
                best = TWidth.ConditionalSelect(less, d, best);
                bestBlock = TWidth.ConditionalSelect(less, block, bestBlock);
                block = TWidth.Increment(block);
            }
        }
        int lanes = TWidth.Count;
        float* distances = stackalloc float[lanes];
        int* blocks = stackalloc int[lanes];
        TWidth.Store(best, distances);
        TWidth.Store(bestBlock, blocks);
        float bd = distances[0];
        int bi = blocks[0] * lanes;
        for (int lane = 1; lane < lanes; lane++)
        {
            int i = blocks[lane] * lanes + lane;
            if (distances[lane] < bd || (distances[lane] == bd && i < bi)) { bd = distances[lane]; bi = i; }
        }
        return bi;
    }
}
