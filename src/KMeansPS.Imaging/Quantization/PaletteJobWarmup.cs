using KMeansPS.Engine;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// A palette job on a small generated image, in memory (no file is read or written): histogram, fit, mapping, PNG
/// encoding and metrics at K = 16 (Lloyd's passes), then a bare fit at K = 64 for Hamerly's bounds (which Auto takes
/// from K = 48; a whole palette job at K = 64 took 70-150 ms, mostly computing, and on two cores a warm-up still
/// running slowed a first job's fit by as much: perf/README). Before it, small embedded files are decoded: two JPEG
/// files with 4:2:0 and 4:2:2 chroma, as phones and cameras write them (the inverse DCT, upsampling, colour
/// conversion), and an RGBA and an RGB PNG with runs of four, two and one Paeth-filtered rows, as screenshots' often
/// are (the fast PNG decoder's Paeth kernels, three per pixel layout). The module's import runs it on a background
/// thread, so the methods a session's first real job needs are compiled while that job is still being bound and
/// decoded. Those methods are mostly vector kernels, which are never precompiled (code passing vectors is not, on
/// Linux, and the kernels are <c>AggressiveOptimization</c>), and compiling them took about 100 ms of a first call
/// (perf/README.md). Compiling changes no result: the same IL gives the same code, whichever thread asks for it first.
/// The JPEG files were made once from a 96 x 64 plasma (ImageMagick <c>convert -size 96x64 -seed 1 plasma:fractal</c>)
/// by <c>cjpeg -quality 85 -optimize -sample 2x2,1x1,1x1</c> (and <c>2x1,1x1,1x1</c>); the PNG files, 96 x 64 gradients
/// with a flat panel, a diagonal pattern and (RGBA) an alpha ramp at the right, were written with the row filters
/// 4 4 4 4 0 4 4 1 4 2 3 over and over and zlib at level 9.
/// </summary>
internal static class PaletteJobWarmup
{
    /// <summary>Width and height of the generated image: big enough for every stage's vector paths, small enough to cost little.</summary>
    internal const int Width = 96, Height = 64;

    /// <summary>The embedded JPEG files decoded first, by their resource names.</summary>
    internal static readonly string[] JpegResources = ["KMeansPS.Imaging.PaletteJobWarmup-420.jpg", "KMeansPS.Imaging.PaletteJobWarmup-422.jpg"];

    /// <summary>The embedded PNG files decoded next, by their resource names.</summary>
    internal static readonly string[] PngResources = ["KMeansPS.Imaging.PaletteJobWarmup-rgba.png", "KMeansPS.Imaging.PaletteJobWarmup-rgb.png"];

    /// <summary>The palette size of the job (fitted by Lloyd's passes).</summary>
    internal const int PaletteK = 16;

    /// <summary>The bare fit's K: at or above Auto's threshold for Hamerly's bounds on colours (K &gt;= 48 at D &lt; 16).</summary>
    internal const int BoundsK = 64;

    /// <summary>Runs the job on one thread; returns the PNG it encoded and the bare fit.</summary>
    internal static (byte[] Png, KMeansResult BoundsFit) Run(CancellationToken cancellationToken = default) =>
        Run(JpegResources, PngResources, cancellationToken);

    /// <summary>As <see cref="Run(CancellationToken)"/> with the given resources (tests).</summary>
    internal static (byte[] Png, KMeansResult BoundsFit) Run(string[] jpegResources, string[] pngResources, CancellationToken cancellationToken)
    {
        // First what a first job does first: decoding. Measured with perf/first-call.ps1 on twowings.jpg, the decode
        // stage of a first call took 85-95 ms against 35-40 warm without the JPEG files here, 56 with them. A file
        // that fails is reported at the end (the import's tests expect none), not in place of the palette job.
        var failures = new List<Exception>();
        foreach (string resource in jpegResources) Try(() => DecodeJpeg(resource, cancellationToken), failures);
        foreach (string resource in pngResources)
            Try(() => DecodePng(resource, cancellationToken) ?? throw new InvalidDataException($"The fast PNG decoder refused '{resource}'."), failures);
        RgbaImage image = GeneratedImage();
        var options = new QuantizeOptions { K = PaletteK, Seed = 1, MaxDegreeOfParallelism = 1 };
        QuantizedImage quantized = ImageQuantizer.Quantize(image, options, null, cancellationToken);
        using var png = new MemoryStream();
        quantized.WritePng(png, marker: null, metadata: null, maxDegreeOfParallelism: 1, cancellationToken);
        ImageMetrics.Compute(image, quantized, quantized.SquaredErrorOfSource, maxDegreeOfParallelism: 1, cancellationToken);
        KMeansResult boundsFit = BoundsFit(image, cancellationToken);
        if (failures.Count > 0) throw new AggregateException("The warm-up could not decode its embedded files.", failures);
        return (png.ToArray(), boundsFit);
    }

    private static void Try(Func<object> stage, List<Exception> failures)
    {
        try
        {
            stage();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failures.Add(ex);
        }
    }

    /// <summary>
    /// Hamerly's bounds, as a palette fit runs them (weighted colours, three coordinates), on the image's first 1,024
    /// pixels (all of a smaller one) for three iterations: enough to compile its kernels, little to compute.
    /// </summary>
    internal static KMeansResult BoundsFit(RgbaImage image, CancellationToken cancellationToken = default)
    {
        int count = Math.Min(1024, image.Pixels.Length);
        var data = new float[count * 3];
        var weights = new float[count];
        for (int i = 0; i < count; i++)
        {
            Rgba32 p = image.Pixels[i];
            (data[3 * i], data[3 * i + 1], data[3 * i + 2]) = (p.R, p.G, p.B);
            weights[i] = 1 + (i % 7);
        }
        return KMeans.Fit(data, 3, weights, new KMeansOptions { K = BoundsK, MaxIterations = 3, Seed = 1, MaxDegreeOfParallelism = 1 }, cancellationToken);
    }

    /// <summary>Decodes an embedded JPEG as a file is decoded (structure check, then our decoder).</summary>
    internal static RgbaImage DecodeJpeg(string resource, CancellationToken cancellationToken = default) =>
        ImageDecoder.Decode(Resource(resource), Width * Height, resource, cancellationToken);

    /// <summary>Decodes an embedded PNG with the fast decoder, as a file's intake does; null if that decoder refused it.</summary>
    internal static RgbaImage? DecodePng(string resource, CancellationToken cancellationToken = default)
    {
        byte[] file = Resource(resource);
        PngPlan? plan = PngPlan.TryRead(file);
        if (plan is null) return null;
        var pixels = new Rgba32[plan.Width * plan.Height];
        return PngFastDecoder.Decode(plan, file, pixels, null, cancellationToken) ? new RgbaImage(plan.Width, plan.Height, pixels) : null;
    }

    /// <summary>The bytes of an embedded file; throws, naming it, when the build lacks it.</summary>
    internal static byte[] Resource(string name)
    {
        using Stream stream = typeof(PaletteJobWarmup).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource '{name}' is missing from the build.");
        var file = new byte[stream.Length];
        stream.ReadExactly(file);
        return file;
    }

    /// <summary>An opaque image of smooth gradients and a deterministic grain: a few thousand colours, like a small photo.</summary>
    internal static RgbaImage GeneratedImage()
    {
        var pixels = new Rgba32[Width * Height];
        uint state = 0x9E3779B9u;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                int grain = (int)(state & 15) - 8;
                pixels[y * Width + x] = new Rgba32(
                    (byte)Math.Clamp(x * 255 / Width + grain, 0, 255),
                    (byte)Math.Clamp(y * 255 / Height - grain, 0, 255),
                    (byte)Math.Clamp((x + y) * 255 / (Width + Height) + grain / 2, 0, 255));
            }
        }
        return new RgbaImage(Width, Height, pixels);
    }
}
