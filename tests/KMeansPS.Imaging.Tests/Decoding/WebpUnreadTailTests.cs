using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static KMeansPS.Imaging.Tests.Corpus.WebpSamples;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// libwebp reads a still WebP's chunks only up to its image data (VP8/VP8L), so inside the RIFF, after that, it ignores
/// what is no whole chunk: zeros padding the RIFF (its size counting them), other bytes, a chunk whose size runs past the
/// RIFF's end. dwebp decodes such files; the structure check refused the cut chunk ("only N remain") and ImageSharp the
/// rest ("Invalid Webp data."). Judged by dwebp itself over a seeded corpus of lossy (raw and compressed alpha) and
/// lossless stills, simple and extended (ICC, EXIF and XMP chunks): what dwebp decodes is decoded to dwebp's pixels, with
/// a warning saying what was ignored, and what it refuses (a RIFF size past the file's end, a chunk before the image data
/// or the image chunk itself cut by the RIFF's end) is refused.
/// </summary>
public sealed class WebpUnreadTailTests
{
    public static TheoryData<string, int> Stills() => new()
    {
        { "lossy-simple", 1 }, { "lossy", 2 }, { "lossy-compressed", 3 }, { "lossless-simple", 4 }, { "lossless", 5 },
        { "lossy-metadata", 6 }, { "lossless-metadata", 7 }, { "lossy-compressed-metadata", 8 },
    };

    [Theory]
    [MemberData(nameof(Stills))]
    public void WhatDwebpDecodesIsDecodedToItsPixelsAndWhatItRefusesIsRefused(string still, int seed)
    {
        var random = new Random(seed);
        using Image<Rgba32> picture = Picture(3 + random.Next(60), 3 + random.Next(40), seed);
        List<(string Type, byte[] Data)> chunks = Chunks(still, picture, seed);
        byte[] whole = WebpWriter.Assemble(chunks);
        (bool decodes, Rgba32[] reference) = Dwebp(whole);
        Assert.True(decodes, "dwebp decodes the file as written");
        Assert.Equal(reference, Pixels(Decode(whole)));

        int accepted = 0, refused = 0;
        foreach ((string what, byte[] file, bool dwebpShouldDecode, bool warned) in Variants(chunks, whole, random))
        {
            (bool dwebpDecodes, Rgba32[] dwebpPixels) = Dwebp(file);
            Assert.True(dwebpDecodes == dwebpShouldDecode, $"{what}: dwebp {(dwebpDecodes ? "decodes" : "refuses")} it");
            if (!dwebpDecodes)
            {
                Assert.ThrowsAny<InvalidImageException>(() => Decode(file));
                refused++;
                continue;
            }
            RgbaImage ours;
            try
            {
                ours = Decode(file);
            }
            catch (InvalidImageException ex)
            {
                throw new Xunit.Sdk.XunitException($"{what}: dwebp decodes it, we refuse it: {ex.Message}");
            }
            Assert.True(dwebpPixels.SequenceEqual(Pixels(ours)), $"{what}: other pixels than dwebp's");
            Assert.True(warned == (ours.DecodeWarning is not null && ours.DecodeWarning.Contains("libwebp does not read past a still image's data", StringComparison.Ordinal)),
                $"{what}: the warning: {ours.DecodeWarning}");
            accepted++;
        }
        Assert.True(accepted >= 12 && refused >= 2, $"{accepted} accepted, {refused} refused");
    }

    [Fact]
    public void TheWarningSaysWhatWasIgnored()
    {
        using Image<Rgba32> picture = Picture(21, 13, 9);
        List<(string Type, byte[] Data)> chunks = Chunks("lossy", picture, 9);
        Assert.Equal("The WebP's RIFF holds 12 bytes of zeros after its last chunk (padding). libwebp does not read past a still image's data, "
            + "and neither does the decode: the pixels are those dwebp shows.", Decode(WithTail(chunks, new byte[12])).DecodeWarning);
        Assert.StartsWith("The WebP's RIFF holds a chunk 'EXIF' after its image data that says 1,000 bytes where 3 remain.",
            Decode(WithTail(chunks, [.. "EXIF"u8, .. BitConverter.GetBytes(1000), 1, 2, 3])).DecodeWarning);
        Assert.StartsWith("The WebP's RIFF holds 5 bytes after its last chunk that start no chunk (they read 0102030405).",
            Decode(WithTail(chunks, [1, 2, 3, 4, 5])).DecodeWarning);
        Assert.Null(Decode(WebpWriter.Assemble(chunks)).DecodeWarning);
    }

    /// <summary>The still's chunks: simple (the image chunk alone) or extended, with ICC, EXIF and XMP chunks when asked.</summary>
    private static List<(string Type, byte[] Data)> Chunks(string still, Image<Rgba32> picture, int seed)
    {
        byte[] encoded = still.StartsWith("lossless", StringComparison.Ordinal) ? Lossless(picture) : Lossy(picture, compressedAlpha: still.Contains("compressed", StringComparison.Ordinal));
        if (still.EndsWith("simple", StringComparison.Ordinal)) return WebpWriter.Chunks(encoded).Where(c => c.Type is "VP8 " or "VP8L").ToList();
        List<(string Type, byte[] Data)> chunks = Extended(encoded, still.EndsWith("metadata", StringComparison.Ordinal), seed);
        if (still.EndsWith("metadata", StringComparison.Ordinal))
        {
            chunks[0].Data[0] |= 0x04; // XMP
            chunks.Add(("XMP ", Encoding.ASCII.GetBytes($"<x:xmpmeta seed='{seed}'/>")));
        }
        return chunks;
    }

    /// <summary>
    /// Seeded variants of the file: zeros and other bytes after the last chunk, a chunk of each kind whose size runs past
    /// the RIFF's end (then bytes after the RIFF too), which dwebp decodes; a RIFF size past the file's end, a chunk before
    /// the image chunk and the image chunk itself cut by the RIFF's end, which it refuses.
    /// </summary>
    private static IEnumerable<(string What, byte[] File, bool Decodes, bool Warned)> Variants(List<(string Type, byte[] Data)> chunks, byte[] whole, Random random)
    {
        foreach (int count in (int[])[1 + random.Next(7), 8, 8 + random.Next(60)])
            yield return ($"{count} zeros", WithTail(chunks, new byte[count]), true, true);
        foreach (int count in (int[])[1 + random.Next(7), 8 + random.Next(60)])
        {
            byte[] bytes = new byte[count];
            random.NextBytes(bytes);
            yield return ($"{count} bytes {Convert.ToHexString(bytes)}", WithTail(chunks, bytes), true, true);
        }
        foreach (string type in (string[])["EXIF", "XMP ", "ALPH", "VP8 ", "VP8L", "ICCP", "ABCD"])
        {
            byte[] data = new byte[random.Next(30)];
            random.NextBytes(data);
            long claims = data.Length + (random.Next(3) switch { 0 => 1L, 1 => 1 + random.Next(100_000), _ => uint.MaxValue - data.Length });
            byte[] header = [.. Encoding.ASCII.GetBytes(type), .. BitConverter.GetBytes((uint)claims)];
            yield return ($"a {type} chunk of {claims} bytes with {data.Length}", WithTail(chunks, [.. header, .. data]), true, true);
            if (type == "EXIF")
                yield return ($"a {type} chunk of {claims} bytes with {data.Length}, then zeros after the RIFF", [.. WithTail(chunks, [.. header, .. data]), .. new byte[1 + random.Next(20)]], true, true);
        }
        // A whole animation frame after a still's image data, which libwebp does not read (it was taken for an animation);
        // an oddity, warned about.
        byte[] frame = new byte[16]; // a 1 x 1 frame at (0, 0)
        byte[] frameImage;
        using (Image<Rgba32> dot = Picture(1, 1, random.Next()))
            frameImage = WebpWriter.Chunk("VP8L", WebpWriter.Chunks(Lossless(dot)).Single().Data);
        yield return ("a whole ANMF chunk after the image data", WebpWriter.Assemble([.. chunks, ("ANMF", [.. frame, .. frameImage])]), true, true);
        byte[] past = [.. whole];
        BinaryPrimitives.WriteUInt32LittleEndian(past.AsSpan(4), (uint)(whole.Length - 8 + 1 + random.Next(8)));
        yield return ("a RIFF size past the file's end", past, false, false);
        int image = chunks.FindIndex(c => c.Type is "VP8 " or "VP8L");
        for (int cut = Math.Max(0, image - 1); cut <= image; cut++)
        {
            // The chunk's size says more than the RIFF holds after it; the chunks after it are dropped.
            byte[] file = WebpWriter.Assemble(chunks.Take(cut + 1));
            int at = 12 + chunks.Take(cut).Sum(c => 8 + c.Data.Length + (c.Data.Length & 1));
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at + 4), (uint)(chunks[cut].Data.Length + 2 + random.Next(1000)));
            if (chunks[cut].Data.Length % 2 == 1) file = file[..^1];
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
            yield return ($"the {chunks[cut].Type} chunk cut by the RIFF's end", file, false, false);
        }
    }

    private static byte[] WithTail(List<(string Type, byte[] Data)> chunks, byte[] tail)
    {
        byte[] file = [.. WebpWriter.Assemble(chunks), .. tail];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        return file;
    }

    /// <summary>Whether libwebp's dwebp decodes the file, and its pixels (RGBA, from its PAM output) when it does.</summary>
    private static (bool Decodes, Rgba32[] Pixels) Dwebp(byte[] file)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("in.webp"), file);
        var start = new ProcessStartInfo("dwebp", ["-quiet", folder.File("in.webp"), "-pam", "-o", folder.File("out.pam")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using (Process process = Process.Start(start) ?? throw new InvalidOperationException("dwebp did not start"))
        {
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) return (false, []);
        }
        byte[] pam = File.ReadAllBytes(folder.File("out.pam"));
        int data = pam.AsSpan().IndexOf("ENDHDR\n"u8) + 7;
        var pixels = new Rgba32[(pam.Length - data) / 4];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgba32(pam[data + 4 * i], pam[data + 4 * i + 1], pam[data + 4 * i + 2], pam[data + 4 * i + 3]);
        return (true, pixels);
    }
}
