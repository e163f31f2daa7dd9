using System.Runtime.CompilerServices;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Metrics;

/// <summary>Differences between an original and a compressed image of the same size.</summary>
/// <param name="Mse">Mean squared error per channel on the 0-255 scale.</param>
/// <param name="Psnr">10 log10(255^2 / MSE) in dB; <see cref="double.PositiveInfinity"/> when MSE is 0.</param>
/// <param name="Ssim">Mean SSIM of the luma planes (see <see cref="Metrics.Ssim"/>); 1 for identical images.</param>
/// <param name="Channels">3 (RGB of an opaque original) or 4 (premultiplied RGBA of an original with alpha).</param>
internal readonly record struct ImageMetrics(double Mse, double Psnr, double Ssim, int Channels)
{
    /// <summary>
    /// MSE and PSNR over RGB when <paramref name="original"/> is opaque, else over premultiplied RGBA
    /// (R*a/255, G*a/255, B*a/255, A), so the invisible colour of transparent pixels does not count.
    /// </summary>
    public static ImageMetrics Compute(RgbaImage original, Rgba32[] compressed, int? maxDegreeOfParallelism = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(compressed);
        return Compute(original, PixelRows.Of(compressed, original.Width, original.Height), maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>As above, reading the compressed image from its palette indices (no RGBA copy is made).</summary>
    public static ImageMetrics Compute(RgbaImage original, QuantizedImage compressed, int? maxDegreeOfParallelism = null,
        CancellationToken cancellationToken = default) =>
        Compute(original, compressed, null, maxDegreeOfParallelism, cancellationToken);

    /// <summary>
    /// As above; <paramref name="squaredError"/>, when given, is the already known sum of squared differences
    /// (see <see cref="QuantizedImage.SquaredErrorOfSource"/>), so only SSIM reads the pixels.
    /// </summary>
    internal static ImageMetrics Compute(RgbaImage original, QuantizedImage compressed, double? squaredError,
        int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(compressed);
        if (compressed.Width != original.Width || compressed.Height != original.Height)
            throw new ArgumentException("The images differ in size.", nameof(compressed));
        return Compute(original, PixelRows.Of(compressed.Indices, compressed.Palette, compressed.Width, compressed.Height), squaredError, maxDegreeOfParallelism, cancellationToken);
    }

    private static ImageMetrics Compute(RgbaImage original, PixelRows compressed, int? maxDegreeOfParallelism, CancellationToken cancellationToken) =>
        Compute(original, compressed, null, maxDegreeOfParallelism, cancellationToken);

    private static ImageMetrics Compute(RgbaImage original, PixelRows compressed, double? squaredError, int? maxDegreeOfParallelism,
        CancellationToken cancellationToken)
    {
        if (compressed.Width != original.Width || compressed.Height != original.Height)
            throw new ArgumentException("The images differ in size.", nameof(compressed));
        bool alpha = original.HasAlpha();
        PixelRows source = SourceRows(original);
        double sum = squaredError ?? PixelSquaredError(original, source, compressed, alpha, cancellationToken);
        double mse = sum / ((alpha ? 4.0 : 3.0) * original.PixelCount);
        double ssim = Metrics.Ssim.Compute(source, compressed, cancellationToken, maxDegreeOfParallelism);
        return new ImageMetrics(mse, PsnrFromMse(mse), ssim, alpha ? 4 : 3);
    }

    /// <summary>
    /// The sum of squared differences, in the space <see cref="Compute(RgbaImage, QuantizedImage, int?, CancellationToken)"/>
    /// measures, between <paramref name="original"/> and the image of <paramref name="indices"/> into <paramref name="palette"/>
    /// (summed in the same order, so the same bits).
    /// </summary>
    internal static double SquaredError(RgbaImage original, byte[] indices, Rgba32[] palette, CancellationToken cancellationToken) =>
        PixelSquaredError(original, SourceRows(original), PixelRows.Of(indices, palette, original.Width, original.Height),
            original.HasAlpha(), cancellationToken);

    /// <summary>The original's rows: its 16-bit pixels' luma when it has them (<see cref="RgbaImage.Wide"/>).</summary>
    private static PixelRows SourceRows(RgbaImage original) => original.Wide is { } wide
        ? PixelRows.Of(wide, original.Pixels, original.Width, original.Height)
        : PixelRows.Of(original.Pixels, original.Width, original.Height);

    private static double PixelSquaredError(RgbaImage original, PixelRows source, PixelRows compressed, bool alpha,
        CancellationToken cancellationToken)
    {
        if (original.Wide is { } wide) return WideSquaredError(wide, original.Width, compressed, cancellationToken);
        var a = new Rgba32[original.Width];
        var b = new Rgba32[original.Width];
        double sum = 0;
        for (int y = 0; y < original.Height; y++)
        {
            if ((y & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
            source.CopyRow(y, a);
            compressed.CopyRow(y, b);
            sum += SquaredError(a, b, alpha);
        }
        return sum;
    }

    /// <summary>
    /// The sum of squared differences from 16-bit pixels (<see cref="WideColor"/>), over all four channels: the alpha
    /// term is 0 for an opaque original, so the sum is the RGB one then.
    /// </summary>
    private static double WideSquaredError(Rgba64[] wide, int width, PixelRows compressed, CancellationToken cancellationToken)
    {
        var b = new Rgba32[width];
        double sum = 0;
        for (int y = 0; y < compressed.Height; y++)
        {
            if ((y & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
            compressed.CopyRow(y, b);
            ReadOnlySpan<Rgba64> a = wide.AsSpan(y * width, width);
            double row = 0;
            for (int x = 0; x < a.Length; x++) row += WideColor.SquaredDistance(a[x], b[x]);
            sum += row;
        }
        return sum;
    }

    /// <summary>Mean squared error per channel; 3 channels (RGB) or, with <paramref name="premultipliedAlpha"/>, 4.</summary>
    public static double MeanSquaredError(ReadOnlySpan<Rgba32> a, ReadOnlySpan<Rgba32> b, bool premultipliedAlpha)
    {
        if (a.Length != b.Length) throw new ArgumentException("The images differ in size.", nameof(b));
        if (a.Length == 0) return 0;
        double sum = 0;
        const int Block = 1 << 16;
        for (int i = 0; i < a.Length; i += Block)
        {
            int n = Math.Min(Block, a.Length - i);
            sum += SquaredError(a.Slice(i, n), b.Slice(i, n), premultipliedAlpha);
        }
        return sum / ((premultipliedAlpha ? 4.0 : 3.0) * a.Length);
    }

    /// <summary>Sum of squared channel differences of a block of at most 2^16 pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SquaredError(ReadOnlySpan<Rgba32> a, ReadOnlySpan<Rgba32> b, bool premultipliedAlpha)
    {
        if (!premultipliedAlpha)
        {
            // Exact in integers: at most 3 x 65025 per pixel.
            long total = 0;
            for (int i = 0; i < a.Length; i++)
            {
                int dr = a[i].R - b[i].R, dg = a[i].G - b[i].G, db = a[i].B - b[i].B;
                total += dr * dr + dg * dg + db * db;
            }
            return total;
        }
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += MetricColor.SquaredDistance(a[i], b[i]);
        return sum;
    }

    public static double PsnrFromMse(double mse) =>
        mse <= 0 ? double.PositiveInfinity : 10.0 * Math.Log10(255.0 * 255.0 / mse);
}
