using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004) as in their reference ssim_index.m:
/// an 11 x 11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, over the 'valid' window positions,
/// averaged. It is computed on <see cref="Luma"/> (Y = 0.299 R + 0.587 G + 0.114 B of the premultiplied colour,
/// plain colour for opaque pixels), without the reference's optional downsampling. An image smaller than 11 pixels
/// in either direction is treated as one window with uniform weights.
/// </summary>
public static class Ssim
{
    private const int Window = 11;
    private const double Sigma = 1.5;
    private const float C1 = (float)(0.01 * 255 * 0.01 * 255);
    private const float C2 = (float)(0.03 * 255 * 0.03 * 255);
    private static readonly float[] Kernel = BuildKernel();

    private static float[] BuildKernel()
    {
        var k = new double[Window];
        double sum = 0;
        for (int i = 0; i < Window; i++)
        {
            double x = i - Window / 2;
            k[i] = Math.Exp(-x * x / (2 * Sigma * Sigma));
            sum += k[i];
        }
        var f = new float[Window];
        for (int i = 0; i < Window; i++) f[i] = (float)(k[i] / sum);
        return f;
    }

    /// <summary>Mean SSIM of two images of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public static double Compute(Rgba32[] a, Rgba32[] b, int width, int height, CancellationToken cancellationToken = default,
        int? maxDegreeOfParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != (long)width * height || b.Length != a.Length)
            throw new ArgumentException("Both images must have width x height pixels.");
        return Compute(PixelRows.Of(a, width, height), PixelRows.Of(b, width, height), cancellationToken, maxDegreeOfParallelism);
    }

    internal static double Compute(PixelRows a, PixelRows b, CancellationToken cancellationToken, int? maxDegreeOfParallelism = null)
    {
        int width = a.Width, height = a.Height;
        if (width < Window || height < Window)
        {
            var x = new float[width * height];
            var y = new float[width * height];
            for (int r = 0; r < height; r++)
            {
                a.CopyLumaRow(r, x.AsSpan(r * width, width));
                b.CopyLumaRow(r, y.AsSpan(r * width, width));
            }
            return GlobalSsim(x, y);
        }
        return WindowedSsim(a, b, width, height, maxDegreeOfParallelism ?? Environment.ProcessorCount, cancellationToken);
    }

    private static double GlobalSsim(float[] x, float[] y)
    {
        double n = x.Length, mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double vx = 0, vy = 0, cxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            vx += dx * dx; vy += dy * dy; cxy += dx * dy;
        }
        vx /= n; vy /= n; cxy /= n;
        return (2 * mx * my + C1) * (2 * cxy + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
    }

    private static double WindowedSsim(PixelRows x, PixelRows y, int width, int height, int threads, CancellationToken cancellationToken)
    {
        int outWidth = width - Window + 1, outHeight = height - Window + 1;
        // Bands depend on the thread count, but their sums are combined in band order, and each band sums its rows
        // in row order, so only the grouping of additions differs (a last-bit effect on the mean).
        int bands0 = Math.Min(Math.Max(1, threads), Math.Max(1, outHeight / 64));
        int rowsPerBand = (outHeight + bands0 - 1) / bands0;
        int bands = (outHeight + rowsPerBand - 1) / rowsPerBand;
        var sums = new double[bands];
        Parallel.For(0, bands, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken }, band =>
        {
            int r0 = band * rowsPerBand, r1 = Math.Min(outHeight, r0 + rowsPerBand);
            sums[band] = BandSum(x, y, width, outWidth, r0, r1, cancellationToken);
        });
        double total = 0;
        foreach (double s in sums) total += s; // band order: independent of scheduling
        return total / ((double)outWidth * outHeight);
    }

    /// <summary>Sum of the SSIM map over output rows [r0, r1), with a ring of horizontally filtered rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double BandSum(PixelRows x, PixelRows y, int width, int outWidth, int r0, int r1, CancellationToken cancellationToken)
    {
        // Five quantities (x, y, x^2, y^2, xy) filtered along rows; ring of Window rows each.
        var ring = new float[5][][];
        for (int q = 0; q < 5; q++)
        {
            ring[q] = new float[Window][];
            for (int i = 0; i < Window; i++) ring[q][i] = new float[outWidth];
        }
        var xr = new float[width];
        var yr = new float[width];
        var xx = new float[width];
        var yy = new float[width];
        var xy = new float[width];
        var mux = new float[outWidth];
        var muy = new float[outWidth];
        var sxx = new float[outWidth];
        var syy = new float[outWidth];
        var sxy = new float[outWidth];
        double sum = 0;
        for (int row = r0; row < r1 + Window - 1; row++)
        {
            if ((row & 63) == 0) cancellationToken.ThrowIfCancellationRequested();
            x.CopyLumaRow(row, xr);
            y.CopyLumaRow(row, yr);
            Products(xr, yr, xx, yy, xy);
            int slot = (row - r0) % Window;
            FilterRow(xr, ring[0][slot]);
            FilterRow(yr, ring[1][slot]);
            FilterRow(xx, ring[2][slot]);
            FilterRow(yy, ring[3][slot]);
            FilterRow(xy, ring[4][slot]);
            if (row - r0 < Window - 1) continue;

            // Rows row-10 .. row are in the ring; the oldest sits in slot (row - r0 + 1) % Window.
            int oldest = (row - r0 + 1) % Window;
            FilterColumn(ring[0], oldest, mux);
            FilterColumn(ring[1], oldest, muy);
            FilterColumn(ring[2], oldest, sxx);
            FilterColumn(ring[3], oldest, syy);
            FilterColumn(ring[4], oldest, sxy);
            sum += MapRowSum(mux, muy, sxx, syy, sxy);
        }
        return sum;
    }

    /// <summary>x^2, y^2 and xy of a row (exact per element, so any width gives the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Products(float[] x, float[] y, float[] xx, float[] yy, float[] xy)
    {
        int i = 0, n = x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                var a = Vector512.Create(x.AsSpan(i));
                var b = Vector512.Create(y.AsSpan(i));
                (a * a).CopyTo(xx.AsSpan(i));
                (b * b).CopyTo(yy.AsSpan(i));
                (a * b).CopyTo(xy.AsSpan(i));
            }
        }
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            var a = new Vector<float>(x, i);
            var b = new Vector<float>(y, i);
            (a * a).CopyTo(xx, i);
            (b * b).CopyTo(yy, i);
            (a * b).CopyTo(xy, i);
        }
        for (; i < n; i++)
        {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
    }

    /// <summary>Sum over one row of the SSIM map from the filtered moments (vector lanes, then a scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double MapRowSum(float[] mux, float[] muy, float[] sxx, float[] syy, float[] sxy)
    {
        int n = mux.Length, lanes = Vector<float>.Count, i = 0;
        var acc = Vector<double>.Zero;
        var c1 = new Vector<float>(C1);
        var c2 = new Vector<float>(C2);
        var two = new Vector<float>(2f);
        for (; i + lanes <= n; i += lanes)
        {
            var mx = new Vector<float>(mux, i);
            var my = new Vector<float>(muy, i);
            var mx2 = mx * mx;
            var my2 = my * my;
            var mxy = mx * my;
            var vx = new Vector<float>(sxx, i) - mx2;
            var vy = new Vector<float>(syy, i) - my2;
            var cv = new Vector<float>(sxy, i) - mxy;
            var map = (two * mxy + c1) * (two * cv + c2) / ((mx2 + my2 + c1) * (vx + vy + c2));
            Vector.Widen(map, out Vector<double> low, out Vector<double> high);
            acc += low + high;
        }
        double sum = Vector.Sum(acc);
        for (; i < n; i++)
        {
            float mx = mux[i], my = muy[i];
            float mx2 = mx * mx, my2 = my * my, mxy = mx * my;
            float vx = sxx[i] - mx2, vy = syy[i] - my2, cv = sxy[i] - mxy;
            sum += (2 * mxy + C1) * (2 * cv + C2) / ((mx2 + my2 + C1) * (vx + vy + C2));
        }
        return sum;
    }

    // maxVectorBits limits the vector width (tests compare every path with the scalar loop, bit for bit).
    // The window is symmetric, so each filter adds the two samples that share a weight before multiplying: six
    // multiplications instead of eleven. Every output is the same sequence of operations on every path (centre, then
    // pairs from the inside out), so the vector width changes no bits of the filtered values.

    /// <summary>Horizontal filter: destination[i] = sum over t of Kernel[t] x source[i + t].</summary>
    internal static void FilterRow(ReadOnlySpan<float> source, Span<float> destination, int maxVectorBits = int.MaxValue)
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        SymmetricTaps(ref s, ref Unsafe.Add(ref s, 1), ref Unsafe.Add(ref s, 2), ref Unsafe.Add(ref s, 3), ref Unsafe.Add(ref s, 4),
            ref Unsafe.Add(ref s, 5), ref Unsafe.Add(ref s, 6), ref Unsafe.Add(ref s, 7), ref Unsafe.Add(ref s, 8),
            ref Unsafe.Add(ref s, 9), ref Unsafe.Add(ref s, 10), destination, maxVectorBits);
    }

    /// <summary>Vertical filter over the ring: destination[i] = sum over t of Kernel[t] x row (oldest + t)[i].</summary>
    internal static void FilterColumn(float[][] rows, int oldest, Span<float> destination, int maxVectorBits = int.MaxValue) =>
        SymmetricTaps(ref Row(rows, oldest, 0), ref Row(rows, oldest, 1), ref Row(rows, oldest, 2), ref Row(rows, oldest, 3),
            ref Row(rows, oldest, 4), ref Row(rows, oldest, 5), ref Row(rows, oldest, 6), ref Row(rows, oldest, 7),
            ref Row(rows, oldest, 8), ref Row(rows, oldest, 9), ref Row(rows, oldest, 10), destination, maxVectorBits);

    /// <summary>
    /// destination[i] = sum over t of Kernel[t] x rT[i], where rT is the sequence the t-th tap reads: the source
    /// shifted by t for the row filter, the t-th ring row for the column filter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SymmetricTaps(ref float r0, ref float r1, ref float r2, ref float r3, ref float r4, ref float r5,
        ref float r6, ref float r7, ref float r8, ref float r9, ref float r10, Span<float> destination, int maxVectorBits)
    {
        int n = destination.Length;
        ref float d = ref MemoryMarshal.GetReference(destination);
        float k0 = Kernel[0], k1 = Kernel[1], k2 = Kernel[2], k3 = Kernel[3], k4 = Kernel[4], k5 = Kernel[5];
        int i = 0;
        if (Vector512.IsHardwareAccelerated && maxVectorBits >= 512)
        {
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                nuint at = (nuint)i;
                var acc = Vector512.LoadUnsafe(ref r5, at) * k5;
                acc += (Vector512.LoadUnsafe(ref r4, at) + Vector512.LoadUnsafe(ref r6, at)) * k4;
                acc += (Vector512.LoadUnsafe(ref r3, at) + Vector512.LoadUnsafe(ref r7, at)) * k3;
                acc += (Vector512.LoadUnsafe(ref r2, at) + Vector512.LoadUnsafe(ref r8, at)) * k2;
                acc += (Vector512.LoadUnsafe(ref r1, at) + Vector512.LoadUnsafe(ref r9, at)) * k1;
                acc += (Vector512.LoadUnsafe(ref r0, at) + Vector512.LoadUnsafe(ref r10, at)) * k0;
                acc.StoreUnsafe(ref d, at);
            }
        }
        else if (Vector.IsHardwareAccelerated && maxVectorBits >= Vector<float>.Count * 32)
        {
            for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
            {
                var acc = Load(ref r5, i) * k5;
                acc += (Load(ref r4, i) + Load(ref r6, i)) * k4;
                acc += (Load(ref r3, i) + Load(ref r7, i)) * k3;
                acc += (Load(ref r2, i) + Load(ref r8, i)) * k2;
                acc += (Load(ref r1, i) + Load(ref r9, i)) * k1;
                acc += (Load(ref r0, i) + Load(ref r10, i)) * k0;
                Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref d, i)), acc);
            }
        }
        for (; i < n; i++)
        {
            float acc = Unsafe.Add(ref r5, i) * k5;
            acc += (Unsafe.Add(ref r4, i) + Unsafe.Add(ref r6, i)) * k4;
            acc += (Unsafe.Add(ref r3, i) + Unsafe.Add(ref r7, i)) * k3;
            acc += (Unsafe.Add(ref r2, i) + Unsafe.Add(ref r8, i)) * k2;
            acc += (Unsafe.Add(ref r1, i) + Unsafe.Add(ref r9, i)) * k1;
            acc += (Unsafe.Add(ref r0, i) + Unsafe.Add(ref r10, i)) * k0;
            Unsafe.Add(ref d, i) = acc;
        }
    }

    internal const int Taps = Window;

    private static ref float Row(float[][] rows, int oldest, int t) => ref MemoryMarshal.GetArrayDataReference(rows[(oldest + t) % Window]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float source, int index) =>
        Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, index)));
}
