using System.Diagnostics;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// Every TGA layout the module reads (8 and 16-bit grey, 15, 16, 24 and 32-bit true colour, 8-bit indices into 16, 24
/// and 32-bit colour maps; image types 1, 2, 3 and 9, 10, 11), under each count of attribute bits 0-15, each origin
/// (bottom or top, left or right) and a mix of run and raw packets (within rows, or running across them), decoded here
/// and by the reference readers themselves: ImageMagick (convert -auto-orient, which applies the origin it records) and
/// PIL (/usr/bin/python3). Where both read a file alike, our pixels are theirs. Where they differ, the reading followed is
/// the one that shows what the file holds, and the decode warns: a 16-bit grey pixel is 8-bit grey and 8-bit alpha, as
/// PIL reads it (ImageMagick reads its two bytes as a 5-bit colour and shows its luminance: no grey the file holds); a
/// 16-bit true-colour pixel's top bit is alpha when the header gives attribute bits, as ImageMagick reads it (PIL shows
/// every 16-bit file opaque; a file of 1 attribute bit, which states its alpha plainly, is not warned about, nor is a
/// 16-bit grey file of 8, the grey and alpha GIMP and PIL write). Where only
/// one reads the file (PIL reads no 15-bit file and no 32-bit colour map), ours are that reader's; PIL refuses a run packet
/// across a row's end (which TGA 2.0 says a packet should not do; the decode reads on, as ImageMagick does, and warns),
/// and its reading of such a file's pixels is taken from a twin file that holds them uncompressed. Attribute bits 0 in every pixel under a header that gives none are read as opaque where the readers
/// show a transparent picture (<see cref="TgaAlphaTests"/>). Needs ImageMagick and PIL (Debian: imagemagick,
/// python3-pil); left out of the arm64 legs (a process per file, no vector code of ours).
/// </summary>
public sealed class TgaReferenceReaderTests
{
    /// <summary>A file of the corpus; packets across rows have a twin of the same pixels uncompressed, for PIL, which refuses a run across a row's end.</summary>
    private sealed record Sample(string Class, TgaKind Kind, int Depth, int MapDepth, int Bits, bool AttributesZero, byte[] File, byte[]? RawTwin);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EveryLayoutIsReadAsTheReferenceReadersReadIt(int seed)
    {
        List<Sample> samples = Files(new Random(seed));
        using var folder = new TempFolder();
        for (int i = 0; i < samples.Count; i++)
        {
            File.WriteAllBytes(folder.File($"{i}.tga"), samples[i].File);
            if (samples[i].RawTwin is byte[] twin) File.WriteAllBytes(folder.File($"{i}-raw.tga"), twin);
        }
        RunReaders(folder);

        var differed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var first = new List<string>();
        for (int i = 0; i < samples.Count; i++)
        {
            Sample s = samples[i];
            byte[]? im = Read(folder.File($"{i}.tga.im")), pil = Read(folder.File($"{i}.tga.pil"));
            // PIL refuses a run across a row's end: its reading of the pixels is that of the uncompressed twin.
            bool pilRefusesRuns = pil is null && Read(folder.File($"{i}-raw.tga.pil")) is not null;
            if (pilRefusesRuns) pil = Read(folder.File($"{i}-raw.tga.pil"));
            Assert.True(im is not null, $"{s.Class}: ImageMagick reads every file of the corpus");
            RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(s.File), cancellationToken: TestContext.Current.CancellationToken);
            byte[] ours = Bytes(decoded);
            (byte[] expected, bool warns) = Expected(s, im, pil);
            warns |= pilRefusesRuns;
            string? problem = !ours.AsSpan().SequenceEqual(expected) ? $"pixels differ from {Followed(s, im, pil)}'s"
                : pilRefusesRuns && !(decoded.DecodeWarning ?? "").Contains("PIL refuses the file", StringComparison.Ordinal) ? "PIL refuses its runs across rows, but no warning says so"
                : warns && decoded.DecodeWarning is null ? "the readers differ, but no warning"
                : PilIsFollowed(s) && s.Bits == 8 && (decoded.DecodeWarning ?? "").Contains("ImageMagick reads each pixel", StringComparison.Ordinal) ? "a grey-and-alpha file that says so is warned about" : null;
            if (problem is null) continue;
            string key = $"{s.Class}, {(problem.StartsWith("pixels", StringComparison.Ordinal) ? "pixels" : "warning")}";
            differed[key] = differed.GetValueOrDefault(key) + 1;
            if (first.Count < 8) first.Add($"{s.Class}, {s.Bits} attribute bits, file {i}: {problem}");
        }
        string table = string.Join("; ", differed.Select(d => $"{d.Key}: {d.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{samples.Count} files; differed: {(table.Length == 0 ? "none" : table)}");
        Assert.True(differed.Count == 0, $"{differed.Values.Sum()} of {samples.Count} files differ ({table}): {string.Join(" | ", first)}");
    }

    /// <summary>The reader whose reading is followed, in words.</summary>
    private static string Followed(Sample s, byte[]? im, byte[]? pil) =>
        pil is null ? "ImageMagick" : im!.AsSpan().SequenceEqual(pil) ? "both readers" : PilIsFollowed(s) ? "PIL" : "ImageMagick";

    /// <summary>Where the readers differ: PIL's reading of a 16-bit grey file, ImageMagick's of the rest.</summary>
    private static bool PilIsFollowed(Sample s) => s.Kind == TgaKind.Grey && s.Depth == 16;

    /// <summary>
    /// The pixels expected (the reading followed; opaque where the attribute bits are 0 throughout and the header gives
    /// none) and whether a warning is (both readers read the file and differ, unless it is a 16-bit true-colour file of
    /// 1 attribute bit, which states its alpha plainly, or a 16-bit grey file of 8).
    /// </summary>
    private static (byte[] Pixels, bool Warns) Expected(Sample s, byte[] im, byte[]? pil)
    {
        bool differ = pil is not null && !im.AsSpan().SequenceEqual(pil);
        byte[] pixels = [.. (differ && PilIsFollowed(s) ? pil! : im)];
        bool opaque = s.AttributesZero && s.Bits == 0 && (s.Depth == 32 && s.Kind == TgaKind.TrueColour || PilIsFollowed(s));
        if (opaque) for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        return (pixels, differ && !(s.Kind == TgaKind.TrueColour && s.Depth == 16 && s.Bits == 1) && !(PilIsFollowed(s) && s.Bits == 8));
    }

    /// <summary>
    /// One file per layout, count of attribute bits and packing (raw, packets within rows, packets across rows): random
    /// sizes up to 13 x 7, a random origin, random pixels (a colour map of 2-40 random entries), the attribute bits 0
    /// throughout in about one file in four.
    /// </summary>
    private static List<Sample> Files(Random random)
    {
        var samples = new List<Sample>();
        foreach ((TgaKind kind, int depth, int mapDepth) in TgaLayouts.All)
            for (int bits = 0; bits < 16; bits++)
                foreach (string packing in (string[])["raw", "rows", "across"])
                {
                    int width = 1 + random.Next(13), height = 1 + random.Next(7), count = width * height;
                    int bytesPerPixel = (depth + 7) / 8, entries = kind == TgaKind.Mapped ? 2 + random.Next(39) : 0;
                    byte[] map = new byte[entries * mapDepth / 8];
                    random.NextBytes(map);
                    byte[] data = new byte[count * bytesPerPixel];
                    random.NextBytes(data);
                    if (kind == TgaKind.Mapped) for (int i = 0; i < count; i++) data[i] = (byte)random.Next(entries);
                    bool zero = kind != TgaKind.Mapped && random.Next(4) == 0;
                    if (zero) ClearAttributes(data, kind, depth);
                    var file = new List<byte>(new byte[18]);
                    file[1] = (byte)(kind == TgaKind.Mapped ? 1 : 0);
                    file[2] = (byte)((kind switch { TgaKind.Grey => 3, TgaKind.TrueColour => 2, _ => 1 }) + (packing == "raw" ? 0 : 8));
                    if (kind == TgaKind.Mapped)
                    {
                        file[5] = (byte)entries;
                        file[7] = (byte)mapDepth;
                    }
                    file[12] = (byte)width;
                    file[14] = (byte)height;
                    file[16] = (byte)depth;
                    file[17] = (byte)(bits | random.Next(4) << 4);
                    file.AddRange(map);
                    byte[]? twin = null;
                    if (packing == "raw") file.AddRange(data);
                    else
                    {
                        Corpus.TgaPixelData.AppendMixed(file, data, width, count, bytesPerPixel, packing == "across", random);
                        if (packing == "across") twin = [.. file.Take(18 + map.Length), .. data];
                        if (twin is not null) twin[2] -= 8;
                    }
                    string what = kind switch
                    {
                        TgaKind.Grey => $"{depth}-bit grey",
                        TgaKind.TrueColour => $"{depth}-bit true colour",
                        _ => $"{mapDepth}-bit colour map",
                    };
                    samples.Add(new Sample(what, kind, depth, mapDepth, bits, zero, [.. file], twin));
                }
        return samples;
    }

    /// <summary>Sets the attribute bits of every pixel to 0: a 16-bit grey pixel's second byte, a 32-bit one's fourth, a 15 or 16-bit one's top bit.</summary>
    private static void ClearAttributes(byte[] data, TgaKind kind, int depth)
    {
        if (kind == TgaKind.Grey && depth == 16) for (int i = 1; i < data.Length; i += 2) data[i] = 0;
        else if (depth == 32) for (int i = 3; i < data.Length; i += 4) data[i] = 0;
        else if (depth is 15 or 16) for (int i = 1; i < data.Length; i += 2) data[i] &= 0x7F;
    }

    private static byte[]? Read(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    private static byte[] Bytes(RgbaImage image)
    {
        var bytes = new byte[image.Width * image.Height * 4];
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            Rgba32 p = image.Pixels[i];
            (bytes[4 * i], bytes[4 * i + 1], bytes[4 * i + 2], bytes[4 * i + 3]) = (p.R, p.G, p.B, p.A);
        }
        return bytes;
    }

    /// <summary>
    /// Each N.tga of the folder read by PIL (N.tga.pil, RGBA) and by ImageMagick (N.tga.im, RGBA with the origin
    /// applied; not the uncompressed twins, N-raw.tga); a reader that refuses a file writes nothing for it. One python3 process, two convert processes at a time.
    /// </summary>
    private static void RunReaders(TempFolder folder)
    {
        Assert.True(File.Exists("/usr/bin/convert"), "ImageMagick's convert is needed (Debian: apt-get install imagemagick)");
        string script = folder.File("readers.py");
        File.WriteAllText(script, ReadersScript);
        var start = new ProcessStartInfo("/usr/bin/python3", [script, folder.Path]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        Task<string> errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the reference readers' script failed (PIL is needed: Debian python3-pil): {errors.Result}");
    }

    private const string ReadersScript = """
        import os, subprocess, sys
        from concurrent.futures import ThreadPoolExecutor
        from PIL import Image
        folder = sys.argv[1]
        files = [os.path.join(folder, f) for f in os.listdir(folder) if f.endswith('.tga')]
        for path in files:
            try:
                with Image.open(path) as image:
                    pixels = image.convert('RGBA').tobytes()
                open(path + '.pil', 'wb').write(pixels)
            except Exception:
                pass
        def magick(path):
            done = subprocess.run(['/usr/bin/convert', path, '-auto-orient', '-depth', '8', 'rgba:' + path + '.im'], capture_output=True)
            if done.returncode != 0 and os.path.exists(path + '.im'):
                os.remove(path + '.im')
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(magick, [f for f in files if not f.endswith('-raw.tga')]))
        """;
}
