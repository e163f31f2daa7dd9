using System.Numerics;
using System.Runtime.CompilerServices;
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
    private const double C1 = 0.01 * 255 * 0.01 * 255;
    private const double C2 = 0.03 * 255 * 0.03 * 255;

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
                a.CopyLumaRow(r, 0, x.AsSpan(r * width, width));
                b.CopyLumaRow(r, 0, y.AsSpan(r * width, width));
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
            sums[band] = BandSum(x, y, outWidth, r0, r1, cancellationToken);
        });
        double total = 0;
        foreach (double s in sums) total += s; // band order: independent of scheduling
        return total / ((double)outWidth * outHeight);
    }

    /// <summary>Output columns a strip holds: as many as a row of the window's rings.</summary>
    private const int StripColumns = GaussianWindow.RingStride;

    /// <summary>
    /// Sum of the SSIM map over output rows [r0, r1): strip by strip of <see cref="StripColumns"/> output columns, each
    /// with a ring of horizontally filtered rows (<see cref="GaussianWindow.FilterRowIntoRing"/>).
    /// </summary>
    /// <remarks>
    /// The luma rows are float; the products, both filters and the map are double (<see cref="GaussianWindow"/> says
    /// why). A float squared is exact in double, so every vector width gives the scalar loop's bits. The map needs the
    /// variances only as their sum, vx + vy = E[x^2 + y^2] - (mx^2 + my^2), so four quantities are filtered: x, y,
    /// x^2 + y^2 and xy. A strip's outputs do not depend on the strips beside it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double BandSum(PixelRows x, PixelRows y, int outWidth, int r0, int r1, CancellationToken cancellationToken)
    {
        int strip = Math.Min(StripColumns, outWidth), inStrip = strip + Window - 1;
        var ring = new double[4][];
        for (int q = 0; q < 4; q++) ring[q] = new double[GaussianWindow.RingLength];
        var xl = new float[inStrip];
        var yl = new float[inStrip];
        var xr = new double[inStrip];
        var yr = new double[inStrip];
        var squares = new double[inStrip];
        var xy = new double[inStrip];
        var mux = new double[strip];
        var muy = new double[strip];
        var msq = new double[strip];
        var mxy = new double[strip];
        var map = new double[strip];
        double sum = 0;
        for (int c0 = 0; c0 < outWidth; c0 += strip)
        {
            int cols = Math.Min(strip, outWidth - c0), inCols = cols + Window - 1;
            for (int row = r0; row < r1 + Window - 1; row++)
            {
                if ((row & 63) == 0) cancellationToken.ThrowIfCancellationRequested();
                x.CopyLumaRow(row, c0, xl.AsSpan(0, inCols));
                y.CopyLumaRow(row, c0, yl.AsSpan(0, inCols));
                Products(xl, yl, inCols, xr, yr, squares, xy);
                int slot = (row - r0) % Window;
                GaussianWindow.FilterRowIntoRing(xr.AsSpan(0, inCols), cols, ring[0], slot);
                GaussianWindow.FilterRowIntoRing(yr.AsSpan(0, inCols), cols, ring[1], slot);
                GaussianWindow.FilterRowIntoRing(squares.AsSpan(0, inCols), cols, ring[2], slot);
                GaussianWindow.FilterRowIntoRing(xy.AsSpan(0, inCols), cols, ring[3], slot);
                if (row - r0 < Window - 1) continue;

                // Rows row-10 .. row are in the ring; the oldest sits in slot (row - r0 + 1) % Window.
                int oldest = (row - r0 + 1) % Window;
                GaussianWindow.FilterColumn(ring[0], oldest, mux.AsSpan(0, cols));
                GaussianWindow.FilterColumn(ring[1], oldest, muy.AsSpan(0, cols));
                GaussianWindow.FilterColumn(ring[2], oldest, msq.AsSpan(0, cols));
                GaussianWindow.FilterColumn(ring[3], oldest, mxy.AsSpan(0, cols));
                sum += MapRowSum(mux, muy, msq, mxy, map, cols);
            }
        }
        return sum;
    }

    /// <summary>
    /// The first <paramref name="n"/> of x and y widened to double, x^2 + y^2 and xy (a float's square and a product
    /// of two floats are exact in double, so only the sum rounds, once, on every path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Products(float[] xl, float[] yl, int n, double[] x, double[] y, double[] squares, double[] xy)
    {
        int i = 0;
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(xl, i), out Vector<double> a0, out Vector<double> a1);
            Vector.Widen(new Vector<float>(yl, i), out Vector<double> b0, out Vector<double> b1);
            int j = i + Vector<double>.Count;
            a0.CopyTo(x, i);
            a1.CopyTo(x, j);
            b0.CopyTo(y, i);
            b1.CopyTo(y, j);
            (a0 * a0 + b0 * b0).CopyTo(squares, i);
            (a1 * a1 + b1 * b1).CopyTo(squares, j);
            (a0 * b0).CopyTo(xy, i);
            (a1 * b1).CopyTo(xy, j);
        }
        for (; i < n; i++)
        {
            double a = xl[i], b = yl[i];
            x[i] = a;
            y[i] = b;
            squares[i] = a * a + b * b;
            xy[i] = a * b;
        }
    }

    /// <summary>
    /// Sum over the first <paramref name="n"/> outputs of a row of the SSIM map from the filtered moments: the map into
    /// <paramref name="map"/> (vector lanes, then a scalar tail; each value the same bits on every path), then summed in
    /// one order whatever the width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double MapRowSum(double[] mux, double[] muy, double[] msq, double[] mxy, double[] map, int n)
    {
        int lanes = Vector<double>.Count, i = 0;
        var c1 = new Vector<double>(C1);
        var c2 = new Vector<double>(C2);
        var two = new Vector<double>(2.0);
        for (; i + lanes <= n; i += lanes)
        {
            var mx = new Vector<double>(mux, i);
            var my = new Vector<double>(muy, i);
            var means2 = mx * mx + my * my;
            var mxmy = mx * my;
            var variances = new Vector<double>(msq, i) - means2;
            var cv = new Vector<double>(mxy, i) - mxmy;
            ((two * mxmy + c1) * (two * cv + c2) / ((means2 + c1) * (variances + c2))).CopyTo(map, i);
        }
        for (; i < n; i++)
        {
            double mx = mux[i], my = muy[i];
            double means2 = mx * mx + my * my, mxmy = mx * my;
            double variances = msq[i] - means2, cv = mxy[i] - mxmy;
            map[i] = (2 * mxmy + C1) * (2 * cv + C2) / ((means2 + C1) * (variances + C2));
        }
        return FixedOrderSum(map.AsSpan(0, n));
    }

    /// <summary>The sum of <paramref name="values"/> over four interleaved partial sums: one order on every machine.</summary>
    private static double FixedOrderSum(ReadOnlySpan<double> values)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            s0 += values[i];
            s1 += values[i + 1];
            s2 += values[i + 2];
            s3 += values[i + 3];
        }
        for (; i < values.Length; i++) s0 += values[i];
        return (s0 + s1) + (s2 + s3);
    }
}
