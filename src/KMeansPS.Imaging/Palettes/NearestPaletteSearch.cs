using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int NearestVector512(float r, float g, float b, float a)
    {
        var vr = Vector512.Create(r);
        var vg = Vector512.Create(g);
        var vb = Vector512.Create(b);
        var va = Vector512.Create(a);
        var best = Vector512.Create(float.PositiveInfinity);
        var bestIndex = Vector512<int>.Zero;
        var index = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var step = Vector512.Create(16);
        ref float pr = ref _r[0];
        ref float pg = ref _g[0];
        ref float pb = ref _b[0];
        ref float pa = ref _a[0];
        for (nuint i = 0; i < (nuint)_r.Length; i += 16)
        {
            var dr = Vector512.LoadUnsafe(ref pr, i) - vr;
            var dg = Vector512.LoadUnsafe(ref pg, i) - vg;
            var db = Vector512.LoadUnsafe(ref pb, i) - vb;
            var da = Vector512.LoadUnsafe(ref pa, i) - va;
            var d = dr * dr + dg * dg + db * db + da * da;
            var less = Vector512.LessThan(d, best);
            best = Vector512.ConditionalSelect(less, d, best);
            bestIndex = Vector512.ConditionalSelect(less.AsInt32(), index, bestIndex);
            index += step;
        }
        float bd = best.GetElement(0);
        int bi = bestIndex.GetElement(0);
        for (int lane = 1; lane < 16; lane++)
        {
            float d = best.GetElement(lane);
            int i = bestIndex.GetElement(lane);
            if (d < bd || (d == bd && i < bi)) { bd = d; bi = i; }
        }
        return bi;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int NearestVector256(float r, float g, float b, float a)
    {
        var vr = Vector256.Create(r);
        var vg = Vector256.Create(g);
        var vb = Vector256.Create(b);
        var va = Vector256.Create(a);
        var best = Vector256.Create(float.PositiveInfinity);
        var bestIndex = Vector256<int>.Zero;
        var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var step = Vector256.Create(8);
        ref float pr = ref _r[0];
        ref float pg = ref _g[0];
        ref float pb = ref _b[0];
        ref float pa = ref _a[0];
        for (nuint i = 0; i < (nuint)_r.Length; i += 8)
        {
            var dr = Vector256.LoadUnsafe(ref pr, i) - vr;
            var dg = Vector256.LoadUnsafe(ref pg, i) - vg;
            var db = Vector256.LoadUnsafe(ref pb, i) - vb;
            var da = Vector256.LoadUnsafe(ref pa, i) - va;
            var d = dr * dr + dg * dg + db * db + da * da;
            var less = Vector256.LessThan(d, best);
            best = Vector256.ConditionalSelect(less, d, best);
            bestIndex = Vector256.ConditionalSelect(less.AsInt32(), index, bestIndex);
            index += step;
        }
        // Each lane holds the first minimum of its residue class; pick the smallest, lowest index on ties.
        float bd = best.GetElement(0);
        int bi = bestIndex.GetElement(0);
        for (int lane = 1; lane < 8; lane++)
        {
            float d = best.GetElement(lane);
            int i = bestIndex.GetElement(lane);
            if (d < bd || (d == bd && i < bi)) { bd = d; bi = i; }
        }
        return bi;
    }
}
