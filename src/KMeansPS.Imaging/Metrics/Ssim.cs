using System.Numerics;
using System.Runtime.CompilerServices;
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
internal static class Ssim
{
    private const int Window = GaussianWindow.Taps;
    private const float C1 = (float)(0.01 * 255 * 0.01 * 255);
    private const float C2 = (float)(0.03 * 255 * 0.03 * 255);

    /// <summary>Mean SSIM of two images of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public static double Compute(Rgba32[] a, Rgba32[] b, int width, int height, int? maxDegreeOfParallelism = null,
        CancellationToken cancellationToken = default)
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
            GaussianWindow.FilterRow(xr, ring[0][slot]);
            GaussianWindow.FilterRow(yr, ring[1][slot]);
            GaussianWindow.FilterRow(xx, ring[2][slot]);
            GaussianWindow.FilterRow(yy, ring[3][slot]);
            GaussianWindow.FilterRow(xy, ring[4][slot]);
            if (row - r0 < Window - 1) continue;

            // Rows row-10 .. row are in the ring; the oldest sits in slot (row - r0 + 1) % Window.
            int oldest = (row - r0 + 1) % Window;
            GaussianWindow.FilterColumn(ring[0], oldest, mux);
            GaussianWindow.FilterColumn(ring[1], oldest, muy);
            GaussianWindow.FilterColumn(ring[2], oldest, sxx);
            GaussianWindow.FilterColumn(ring[3], oldest, syy);
            GaussianWindow.FilterColumn(ring[4], oldest, sxy);
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
}
