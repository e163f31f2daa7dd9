using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// Every file of the seeded WebP chunk corpus (<see cref="WebpChunkCorpus"/>) that libwebp's dwebp decodes is decoded
/// here to dwebp's pixels, or refused for a reason of our own, from the list below (never ImageSharp's words, nor an
/// exception's: what ImageSharp fails on is a file we did not hand it as libwebp reads it). Each file is one dwebp process.
/// </summary>
public sealed partial class WebpDwebpCorpusTests
{
    /// <summary>
    /// Refusals of files dwebp decodes that are ours to make: none. The last were image chunks whose size says less than
    /// their data, which libwebp reads on to the file's end, and so do the structure check and ImageSharp's copy now
    /// (Webp.ImageDataReadOn).
    /// </summary>
    private static readonly string[] AllowedReasons = [];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void WhatDwebpDecodesIsDecodedToItsPixels(int seed)
    {
        var files = new List<(string What, byte[] File)>();
        foreach ((string name, byte[] still) in WebpChunkCorpus.Bases(seed))
            files.AddRange(WebpChunkCorpus.Mutants(name, still, seed * 1000 + name.Length).Where(m => m.File.Length >= 12));
        var failures = new ConcurrentBag<(string Class, string What, string Detail)>();
        int decoded = 0;
        using var folder = new TempFolder();
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = TestContext.Current.CancellationToken }, i =>
        {
            (string what, byte[] file) = files[i];
            if (Dwebp(file, folder.File($"{i}.webp"), folder.File($"{i}.pam")) is not { } reference) return;
            Interlocked.Increment(ref decoded);
            try
            {
                RgbaImage ours = ImageDecoder.Decode(new MemoryStream(file));
                if ((ours.Width, ours.Height) != (reference.Width, reference.Height) || !ours.Pixels.AsSpan(0, ours.Width * ours.Height).SequenceEqual(reference.Pixels))
                    failures.Add((Class(what), what, $"other pixels than dwebp's ({ours.Width} x {ours.Height}, dwebp {reference.Width} x {reference.Height})"));
            }
            catch (Exception ex) when (ex is InvalidImageException or ImageLimitExceededException)
            {
                if (!AllowedReasons.Any(ex.Message.Contains))
                    failures.Add((Class(what), what, $"refused ({ex.InnerException?.GetType().Name ?? "ours"}): {ex.Message}"));
            }
            catch (Exception ex)
            {
                failures.Add((Class(what), what, $"threw {ex.GetType().Name}: {ex.Message}"));
            }
        });
        string summary = string.Join("\n", failures.GroupBy(f => f.Class).OrderByDescending(g => g.Count())
            .Select(g => $"{g.Count()} x {g.Key}: e.g. {g.First().What}: {g.First().Detail}"));
        Assert.True(failures.IsEmpty, $"{failures.Count} of the {decoded} files dwebp decodes (of {files.Count}):\n{summary}");
        Assert.True(decoded > 500, $"dwebp decodes {decoded} of {files.Count} files");
    }

    /// <summary>
    /// Chunks a still's decode by libwebp skips and ImageSharp refuses or crashes on (an animation chunk before the image
    /// data, an empty ALPH chunk libwebp does not use) are left out of ImageSharp's copy, and the decode says so.
    /// </summary>
    [Theory]
    [InlineData("ANIM", 1, "The WebP holds an animation chunk (ANIM or ANMF) before its image data")]
    [InlineData("ANMF", 1, "The WebP holds an animation chunk (ANIM or ANMF) before its image data")]
    [InlineData("ALPH", 1, "The WebP holds an empty ALPH (alpha) chunk that libwebp does not use")]
    [InlineData("ALPH", -1, "The WebP has an ALPH (alpha) chunk after its image data")]
    public void ASkippedChunkIsLeftOutWithAWarning(string type, int at, string warning)
    {
        using SixLabors.ImageSharp.Image<Rgba32> picture = WebpSamples.Picture(19, 11, 7);
        List<(string Type, byte[] Data)> chunks = WebpSamples.Extended(WebpSamples.Lossy(picture, compressedAlpha: true), metadata: false, 7);
        RgbaImage plain = WebpSamples.Decode(WebpWriter.Assemble(chunks));
        Assert.Null(plain.DecodeWarning);
        byte[] data = type switch { "ANIM" => new byte[6], "ANMF" => [.. new byte[16], .. WebpWriter.Chunk("VP8L", [0x2F, 0, 0, 0, 0])], _ => [] };
        chunks.Insert(at < 0 ? chunks.Count : at, (type, data));
        RgbaImage ours = WebpSamples.Decode(WebpWriter.Assemble(chunks));
        Assert.Equal(WebpSamples.Pixels(plain), WebpSamples.Pixels(ours));
        Assert.StartsWith(warning, ours.DecodeWarning, StringComparison.Ordinal);
    }

    /// <summary>
    /// cwebp's lossy stills of a smooth, photo-like picture (opaque: a simple file; with alpha: VP8X, ALPH, VP8), their
    /// VP8 chunk's size lowered: libwebp reads the data on to the file's end, the last partition included, and what
    /// dwebp decodes is decoded to its pixels, with a warning naming the chunk where the data is read on.
    /// </summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void ALoweredLossySizeIsReadOnAsLibwebpReadsIt(int seed, bool alpha)
    {
        var random = new Random(seed);
        using var folder = new TempFolder();
        using var picture = new SixLabors.ImageSharp.Image<Rgba32>(40 + random.Next(60), 30 + random.Next(50));
        for (int y = 0; y < picture.Height; y++)
            for (int x = 0; x < picture.Width; x++)
                picture[x, y] = new Rgba32((byte)(128 + 100 * Math.Sin(x / 9.0 + seed)), (byte)(128 + 90 * Math.Cos(y / 7.0)), (byte)((x * y + random.Next(24)) & 0xFF),
                    alpha ? (byte)(255 - (x * 255 / picture.Width)) : (byte)255);
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(picture, folder.File("in.png"));
        var encode = new ProcessStartInfo("cwebp", ["-quiet", "-q", "80", folder.File("in.png"), "-o", folder.File("in.webp")]);
        using (Process process = Process.Start(encode) ?? throw new InvalidOperationException("cwebp did not start")) process.WaitForExit();
        byte[] still = File.ReadAllBytes(folder.File("in.webp"));
        int at = still.AsSpan().IndexOf("VP8 "u8);
        int size = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(still.AsSpan(at + 4));
        Assert.Equal(alpha, still.AsSpan().IndexOf("ALPH"u8) > 0);
        int decoded = 0, warned = 0;
        var failures = new List<string>();
        foreach (int lower in (int[])[1, 2, 3, 4, 7, 8, 16, 31, size / 8, size / 3, size / 2, 1 + random.Next(size - 1)])
        {
            byte[] file = [.. still];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at + 4), size - lower);
            if (Dwebp(file, folder.File($"{lower}.webp"), folder.File($"{lower}.pam")) is not { } reference) continue;
            decoded++;
            try
            {
                RgbaImage ours = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
                if (!ours.Pixels.AsSpan(0, ours.Width * ours.Height).SequenceEqual(reference.Pixels)) failures.Add($"lowered by {lower}: other pixels than dwebp's");
                if (ours.DecodeWarning?.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The WebP's VP8 chunk says {size - lower:N0} bytes"), StringComparison.Ordinal) == true) warned++;
            }
            catch (InvalidImageException ex)
            {
                failures.Add($"lowered by {lower}: refused: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(decoded >= 6 && warned >= 4, $"dwebp decodes {decoded}, {warned} warned");
    }

    /// <summary>The mutation, without its numbers: the class a failure belongs to.</summary>
    private static string Class(string what) => Numbers().Replace(what, "#");

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Numbers();

    /// <summary>dwebp's pixels (RGBA, from its PAM output), or null when it refuses the file.</summary>
    private static (int Width, int Height, Rgba32[] Pixels)? Dwebp(byte[] file, string input, string output)
    {
        File.WriteAllBytes(input, file);
        var start = new ProcessStartInfo("dwebp", ["-quiet", input, "-pam", "-o", output])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using (Process process = Process.Start(start) ?? throw new InvalidOperationException("dwebp did not start"))
        {
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) return null;
        }
        byte[] pam = File.ReadAllBytes(output);
        string header = System.Text.Encoding.ASCII.GetString(pam, 0, pam.AsSpan().IndexOf("ENDHDR\n"u8));
        int width = int.Parse(Regex.Match(header, @"WIDTH (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int height = int.Parse(Regex.Match(header, @"HEIGHT (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int data = pam.AsSpan().IndexOf("ENDHDR\n"u8) + 7;
        var pixels = new Rgba32[width * height];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgba32(pam[data + 4 * i], pam[data + 4 * i + 1], pam[data + 4 * i + 2], pam[data + 4 * i + 3]);
        File.Delete(input);
        File.Delete(output);
        return (width, height, pixels);
    }
}
