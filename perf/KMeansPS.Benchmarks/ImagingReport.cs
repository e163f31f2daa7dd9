using System.Diagnostics;
using System.Globalization;
using KMeansPS.Imaging;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Quality and size report for the palette quantizer: for every image in a folder and every K, the whole
/// Quantize call (decode, histogram, cluster, map, encode, metrics) is timed (median of some runs) and its PSNR,
/// SSIM and bytes are printed; when pngquant's output for the same image and K exists as
/// <c>&lt;stem&gt;-k&lt;K&gt;-pq.png</c> in the reference folder, its PSNR (measured the same way) and bytes are
/// printed beside. Build the benchmarks in Release, then from pwsh:
/// <code>Add-Type -Path &lt;bin&gt;/KMeansPS.Benchmarks.dll; [KMeansPS.Benchmarks.ImagingReport]::Run('&lt;images&gt;', '16,64,256', '&lt;pngquant outputs&gt;', 3, 0)</code>
/// (pngquant outputs: <c>pngquant --speed 1 --nofs --output &lt;stem&gt;-k&lt;K&gt;-pq.png &lt;K&gt; &lt;image as PNG&gt;</c>).
/// </summary>
public static class ImagingReport
{
    public static string Run(string imagesFolder, string ks, string? referenceFolder = null, int runs = 3, ulong seed = 0)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        string work = Path.Combine(Path.GetTempPath(), "kmeansps-imaging-report");
        Directory.CreateDirectory(work);
        output.WriteLine("| image | K | colours | iters | conv | PSNR dB | SSIM | bytes | median s | pngquant PSNR | pngquant bytes |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (string file in Directory.GetFiles(imagesFolder).Where(IsImage).Order(StringComparer.Ordinal))
        {
            string stem = Path.GetFileNameWithoutExtension(file);
            RgbaImage? original = null;
            foreach (int k in ks.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
            {
                string destination = Path.Combine(work, $"{stem}-k{k}.png");
                var options = new QuantizeOptions { K = k, Seed = seed };
                var times = new List<double>();
                QuantizeResult? result = null;
                for (int run = 0; run < runs; run++)
                {
                    var clock = Stopwatch.StartNew();
                    result = ImageQuantizer.Quantize(file, destination, options);
                    times.Add(clock.Elapsed.TotalSeconds);
                }
                times.Sort();
                string pqPsnr = "-", pqBytes = "-";
                string? reference = referenceFolder is null ? null : Path.Combine(referenceFolder, $"{stem}-k{k}-pq.png");
                if (reference is not null && File.Exists(reference))
                {
                    original ??= ImageDecoder.Decode(file);
                    RgbaImage pq = ImageDecoder.Decode(reference);
                    double mse = ImageMetrics.MeanSquaredError(original.Pixels, pq.Pixels, original.HasAlpha());
                    pqPsnr = ImageMetrics.PsnrFromMse(mse).ToString("F2", CultureInfo.InvariantCulture);
                    pqBytes = new FileInfo(reference).Length.ToString("N0", CultureInfo.InvariantCulture);
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Path.GetFileName(file)} | {k} | {result!.ColorsUsed} | {result.Iterations} | {result.Converged} | {result.Psnr:F2} | {result.Ssim:F4} | {result.CompressedBytes:N0} | {times[times.Count / 2]:F3} | {pqPsnr} | {pqBytes} |"));
            }
        }
        return output.ToString();
    }

    private static bool IsImage(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".bmp" or ".gif" or ".tif" or ".tiff" or ".webp";
}
