using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// A palette job on a small generated image, in memory (no file is read or written): histogram, fit, mapping, PNG
/// encoding and metrics; before it, two small JPEG files (embedded) are decoded, with 4:2:0 and 4:2:2 chroma as
/// phones and cameras write them, for the JPEG decoder's inverse DCT, upsampling and colour conversion. The module's import runs it on a background thread, so the methods a session's first real
/// job needs are compiled while that job is still being bound and decoded. Those methods are mostly the engine's
/// vector kernels, which are never precompiled (code passing vectors is not, on Linux, and the kernels are
/// <c>AggressiveOptimization</c>), and compiling them took about 100 ms of a first call (perf/README.md). Compiling
/// changes no result: the same IL gives the same code, whichever thread asks for it first. The JPEG files were made
/// once from a 96 x 64 plasma (ImageMagick <c>convert -size 96x64 -seed 1 plasma:fractal</c>) by
/// <c>cjpeg -quality 85 -optimize -sample 2x2,1x1,1x1</c> (and <c>2x1,1x1,1x1</c>).
/// </summary>
internal static class PaletteJobWarmup
{
    /// <summary>Width and height of the generated image: big enough for every stage's vector paths, small enough to cost little.</summary>
    internal const int Width = 96, Height = 64;

    /// <summary>The embedded JPEG files decoded first, by their resource names.</summary>
    internal static readonly string[] JpegResources = ["KMeansPS.Imaging.PaletteJobWarmup-420.jpg", "KMeansPS.Imaging.PaletteJobWarmup-422.jpg"];

    /// <summary>Runs the job on one thread; returns the PNG it encoded.</summary>
    internal static byte[] Run(CancellationToken cancellationToken = default)
    {
        // First what a first job does first: a JPEG's kernels are AggressiveOptimization, so compiled at first use
        // (the decode stage of a first call on twowings.jpg took 68 ms against 30 warm, perf/README).
        foreach (string resource in JpegResources) DecodeJpeg(resource, cancellationToken);
        RgbaImage image = GeneratedImage();
        var options = new QuantizeOptions { K = 16, Seed = 1, MaxDegreeOfParallelism = 1 };
        QuantizedImage quantized = ImageQuantizer.Quantize(image, options, null, cancellationToken);
        using var png = new MemoryStream();
        quantized.WritePng(png, marker: null, metadata: null, maxDegreeOfParallelism: 1, cancellationToken);
        ImageMetrics.Compute(image, quantized, quantized.SquaredErrorOfSource, maxDegreeOfParallelism: 1, cancellationToken);
        return png.ToArray();
    }

    /// <summary>Decodes an embedded JPEG as a file is decoded (structure check, then our decoder).</summary>
    internal static RgbaImage DecodeJpeg(string resource, CancellationToken cancellationToken = default)
    {
        using Stream stream = typeof(PaletteJobWarmup).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The resource '{resource}' is missing from the build.");
        var file = new byte[stream.Length];
        stream.ReadExactly(file);
        return ImageDecoder.Decode(file, Width * Height, resource, cancellationToken);
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
