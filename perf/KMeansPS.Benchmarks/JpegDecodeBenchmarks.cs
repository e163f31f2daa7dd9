using KMeansPS.Imaging.Decoding;
using BenchmarkDotNet.Attributes;
using KMeansPS.Imaging;
using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Benchmarks;

/// <summary>
/// The exact integer JPEG decoder against ImageSharp 2.1.13 on the same files, whole decodes into RGBA. The images
/// come from KMEANSPS_IMAGES or the first shared/images folder above the working directory (as
/// <see cref="ImagingQuantizeBenchmarks"/> finds them). Run with
/// <c>dotnet run -c Release --project perf/KMeansPS.Benchmarks -- --filter *JpegDecode*</c>.
/// </summary>
[MemoryDiagnoser]
public class JpegDecodeBenchmarks
{
    private byte[] _file = [];
    private Rgba32[] _pixels = [];

    [Params("twowings.jpg", "china.jpg")]
    public string Image { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string folder = Environment.GetEnvironmentVariable("KMEANSPS_IMAGES") ?? FindImages();
        string path = Path.Combine(folder, Image);
        if (!File.Exists(path)) throw new FileNotFoundException($"Benchmark image not found (set KMEANSPS_IMAGES): {path}", path);
        _file = File.ReadAllBytes(path);
        _pixels = new Rgba32[ExactJpegDecoder.ReadHeader(_file).PixelCount];
    }

    /// <summary>ImageSharp's decode alone, with its default (pooling) memory.</summary>
    [Benchmark(Baseline = true)]
    public int ImageSharpLoad()
    {
        using Image<Rgba32> image = SixLabors.ImageSharp.Image.Load<Rgba32>(_file);
        return image.Width;
    }

    /// <summary>What the module does with a JPEG today: <see cref="ImageDecoder"/> (identify, decode, copy out).</summary>
    [Benchmark]
    public int ImageDecoderToday()
    {
        using var stream = new MemoryStream(_file, writable: false);
        RgbaImage image = ImageDecoder.Decode(stream);
        LargeBufferCache.Return(image.Pixels);
        return image.Width;
    }

    /// <summary>The exact decoder's whole job as the module would call it (header, limit, pixels from the buffer cache).</summary>
    [Benchmark]
    public int Exact()
    {
        JpegImage image = ExactJpegDecoder.Decode(_file, ImageDecoder.DefaultMaxPixels);
        LargeBufferCache.Return(image.Image.Pixels);
        return image.Header.Width;
    }

    [Benchmark]
    public int ExactScalarKernels() => ExactJpegDecoder.DecodeWith(JpegKernel.Scalar, _file, _pixels, null, default).Width;

    [Benchmark]
    public int ExactVector128Kernels() => ExactJpegDecoder.DecodeWith(JpegKernel.Vector128, _file, _pixels, null, default).Width;

    [Benchmark]
    public int ExactVector256Kernels() => ExactJpegDecoder.DecodeWith(JpegKernel.Vector256, _file, _pixels, null, default).Width;

    private static string FindImages()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "images");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException("Set KMEANSPS_IMAGES to the folder holding the benchmark images.");
    }
}

/// <summary>The decoder's vector kernels per call, at each width (the inverse DCT of one block, one row of colour conversion).</summary>
public class JpegKernelBenchmarks
{
    private readonly short[] _block = new short[64];
    private readonly short[] _dequant = new short[64];
    private readonly byte[] _samples = new byte[8 * 64];
    private readonly byte[] _y = new byte[2560], _cb = new byte[2560], _cr = new byte[2560];
    private readonly byte[] _edged = new byte[1282], _upsampled = new byte[2560];
    private readonly uint[] _row = new uint[2560];

    private JpegKernel _kernel;

    [Params("Scalar", "Vector128", "Vector256")]
    public string Kernel { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _kernel = Enum.Parse<JpegKernel>(Kernel);
        var random = new Random(1);
        for (int i = 0; i < 64; i++)
        {
            _block[i] = (short)(random.Next(-40, 41) >> (i / 8));
            _dequant[i] = (short)random.Next(2, 60);
        }
        random.NextBytes(_y);
        random.NextBytes(_cb);
        random.NextBytes(_cr);
        random.NextBytes(_edged);
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public void InverseDct()
    {
        for (int i = 0; i < 64; i++) KMeansPS.Imaging.Jpeg.InverseDct.Transform(_kernel, _block, _dequant, _samples.AsSpan(i % 8), 64);
    }

    [Benchmark]
    public void YCbCrRow() => ColorConversion.YCbCr(_kernel, _y, _cb, _cr, _row);

    [Benchmark]
    public void H2V2Row() => Upsampling.H2V2(_kernel, _edged, _edged, 1280, _upsampled);
}
