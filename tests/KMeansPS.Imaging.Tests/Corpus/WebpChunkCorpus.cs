using System.Buffers.Binary;
using System.Text;
using KMeansPS.Imaging.Tests.Metadata;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Seeded WebP files whose chunk lists are broken every way the chunk walks must agree on: cut at every chunk boundary
/// (and one byte either side) and at random points, the RIFF size left as it was, set to the cut or the file left whole;
/// chunk sizes lying up and down (zero, odd, past the RIFF, 4 GB); chunks put in before each chunk and at the end (odd
/// sized with and without their pad byte, zero-sized, unknown, names that are no ASCII, ALPH, ICCP, EXIF, XMP, VP8X,
/// ANIM, ANMF, a second image chunk); RIFF sizes larger and smaller than the file and too small for any WebP; bytes after
/// the RIFF and zeros inside it; VP8X flag bits; and random chains of two or three of these.
/// </summary>
internal static class WebpChunkCorpus
{
    /// <summary>Stills and an animation to mutate, encoded by ImageSharp (no outside tool), seeded.</summary>
    public static IEnumerable<(string Name, byte[] File)> Bases(int seed)
    {
        var random = new Random(seed);
        int W() => 3 + random.Next(40);
        int H() => 3 + random.Next(30);
        using (Image<Rgba32> opaque = CorpusImages.Noisy(W(), H(), seed))
        {
            byte[] lossy = WebpSamples.Lossy(opaque, compressedAlpha: false);
            yield return ("lossy-simple", WebpWriter.Assemble(WebpWriter.Chunks(lossy).Where(c => c.Type == "VP8 ")));
            yield return ("lossless-simple", WebpSamples.Lossless(opaque));
            yield return ("animation", WebpWriter.Animated(lossy, opaque.Width, opaque.Height, 2));
        }
        using (Image<Rgba32> picture = WebpSamples.Picture(W(), H(), seed))
        {
            byte[] raw = WebpSamples.Lossy(picture, compressedAlpha: false), compressed = WebpSamples.Lossy(picture, compressedAlpha: true);
            byte[] lossless = WebpSamples.Lossless(picture);
            yield return ("lossy-raw-alpha", WebpWriter.Assemble(WebpSamples.Extended(raw, metadata: false, seed)));
            yield return ("lossy-compressed-alpha", WebpWriter.Assemble(WebpSamples.Extended(compressed, metadata: false, seed)));
            // ICC and EXIF, the EXIF odd-sized (and padded) for one seed in two, and an odd-sized XMP chunk after them.
            yield return ("lossy-metadata", WebpWriter.Assemble([.. WebpSamples.Extended(compressed, metadata: true, seed), ("XMP ", Xmp(seed))]));
            yield return ("lossless-metadata", WebpWriter.Assemble([.. WebpSamples.Extended(lossless, metadata: true, seed + 1), ("XMP ", Xmp(seed + 1))]));
        }
        // One alpha value throughout: a lossless alpha stream of a few bytes (the short stream ImageSharp fails on).
        using var flat = new Image<Rgba32>(2 + random.Next(6), 2 + random.Next(6), new Rgba32(40, 90, 200, 128));
        yield return ("lossy-short-alpha", WebpWriter.Assemble(WebpSamples.Extended(WebpSamples.Lossy(flat, compressedAlpha: true), metadata: false, seed)));
    }

    /// <summary>The mutants of <paramref name="file"/>, <paramref name="file"/> itself first.</summary>
    public static IEnumerable<(string Name, byte[] File)> Mutants(string name, byte[] file, int seed)
    {
        var random = new Random(seed);
        List<(int At, int Size)> chunks = Layout(file);
        yield return (name, file);

        var cuts = new SortedSet<int>();
        foreach ((int at, int size) in chunks)
            foreach (int boundary in (int[])[at, at + 4, at + 8, at + 8 + size, at + 8 + size + (size & 1)])
                for (int d = -1; d <= 1; d++) cuts.Add(boundary + d);
        for (int i = 0; i < 8; i++) cuts.Add(1 + random.Next(file.Length - 1));
        cuts.RemoveWhere(c => c < 1 || c >= file.Length);
        foreach (int cut in cuts)
        {
            yield return ($"{name} cut at {cut}", file[..cut]);
            if (cut >= 8) yield return ($"{name} cut at {cut}, RIFF size to match", WithRiffSize(file[..cut], cut - 8));
            yield return ($"{name} RIFF size ends at {cut}", WithRiffSize(file, cut - 8));
        }

        for (int i = 0; i < chunks.Count; i++)
        {
            (int at, int size) = chunks[i];
            foreach (long lie in (long[])[0, 1, size - 3, size - 2, size - 1, size + 1, size + 2, size + 3, size + 1 + random.Next(100),
                size - 1 - random.Next(Math.Max(1, size)), file.Length - at - 8, file.Length - at - 7, uint.MaxValue, int.MaxValue, 0x80000000])
                if (lie >= 0 && lie != size) yield return ($"{name} chunk {i} size {lie}", WithUInt32(file, at + 4, (uint)lie));
        }

        List<(string What, byte[] Chunk)> extras = Extras(file, chunks, random);
        int[] positions = [.. chunks.Select(c => c.At), RiffEnd(file)];
        foreach (int at in positions)
            foreach ((string what, byte[] chunk) in extras)
                yield return ($"{name} {what} at {at}", Inserted(file, at, chunk, riff: true));
        // Odd-sized chunks whose pad byte is missing, within the RIFF and at its end.
        foreach (int at in positions)
            foreach (int size in (int[])[1, 3, 5])
                yield return ($"{name} unpadded odd chunk of {size} at {at}", Inserted(file, at, Chunk("UNKN"u8, Bytes(random, size), pad: false), riff: true));

        foreach (long riff in (long[])[0, 4, 11, 12, 19, 20, uint.MaxValue, uint.MaxValue - 8])
            yield return ($"{name} RIFF size {riff}", WithRiffSize(file, riff));
        long stated = file.Length - 8;
        foreach (long d in (long[])[-9, -8, -2, -1, 1, 2, 8, 100])
            if (stated + d >= 0) yield return ($"{name} RIFF size {d:+0;-0}", WithRiffSize(file, stated + d));

        foreach (int n in (int[])[1, 2, 7, 8, 9, 20])
        {
            yield return ($"{name} {n} zeros after the RIFF", [.. file, .. new byte[n]]);
            yield return ($"{name} {n} zeros inside the RIFF", WithRiffSize([.. file, .. new byte[n]], stated + n));
            yield return ($"{name} {n} random bytes after the RIFF", [.. file, .. Bytes(random, n)]);
            yield return ($"{name} {n} random bytes inside the RIFF", WithRiffSize([.. file, .. Bytes(random, n)], stated + n));
        }
        foreach ((string what, byte[] chunk) in extras.Take(4))
            yield return ($"{name} {what} after the RIFF", [.. file, .. chunk]);

        if (file.Length >= 30 && file.AsSpan(12, 4).SequenceEqual("VP8X"u8))
        {
            for (int bit = 0; bit < 8; bit++) yield return ($"{name} VP8X flag bit {bit} flipped", WithByte(file, 20, (byte)(file[20] ^ (1 << bit))));
            for (int b = 21; b < 24; b++) yield return ($"{name} VP8X reserved byte {b - 20} set", WithByte(file, b, 0x5A));
        }

        for (int i = 0; i < 40; i++)
        {
            byte[] chained = file;
            string what = $"{name} chain {i}:";
            for (int step = 2 + random.Next(2); step > 0; step--) chained = RandomStep(chained, random, ref what);
            yield return (what, chained);
        }
    }

    /// <summary>Where each chunk of a well-formed file starts and its size (for the mutations; the walks are what is tested).</summary>
    private static List<(int At, int Size)> Layout(byte[] file)
    {
        var chunks = new List<(int, int)>();
        for (int p = 12; p + 8 <= file.Length;)
        {
            int size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p + 4)), (uint)(file.Length - p - 8));
            chunks.Add((p, size));
            p += 8 + size + (size & 1);
        }
        return chunks;
    }

    private static List<(string What, byte[] Chunk)> Extras(byte[] file, List<(int At, int Size)> chunks, Random random)
    {
        (int at, int size) = chunks.FirstOrDefault(c => file.AsSpan(c.At, 4).SequenceEqual("VP8 "u8) || file.AsSpan(c.At, 4).SequenceEqual("VP8L"u8));
        byte[] image = size > 0 ? file[at..(at + 8 + size + (size & 1))] : Chunk("VP8L"u8, [0x2F, 0, 0, 0, 0], pad: true);
        byte[] frameHeader = new byte[16];
        return
        [
            ("odd unknown chunk", Chunk("UNKN"u8, Bytes(random, 3), pad: true)),
            ("zero-size chunk", Chunk("ZERO"u8, [], pad: true)),
            ("zero-size ALPH", Chunk("ALPH"u8, [], pad: true)),
            ("raw ALPH", Chunk("ALPH"u8, [0, .. Bytes(random, 1 + random.Next(30))], pad: true)),
            ("short lossless ALPH", Chunk("ALPH"u8, [1, .. Bytes(random, 1 + random.Next(6))], pad: true)),
            ("ICCP", Chunk("ICCP"u8, MetadataSamples.IccProfile("corpus", padding: 10 + random.Next(50), seed: random.Next(100)), pad: true)),
            ("odd ICCP", Chunk("ICCP"u8, Bytes(random, 129), pad: true)),
            ("EXIF", Chunk("EXIF"u8, MetadataSamples.Exif(littleEndian: random.Next(2) == 0, orientation: (ushort)(1 + random.Next(8))), pad: true)),
            ("XMP", Chunk("XMP "u8, Xmp(random.Next(100)), pad: true)),
            ("VP8X", Chunk("VP8X"u8, [0x10, 0, 0, 0, 4, 0, 0, 4, 0, 0], pad: true)),
            ("ANIM", Chunk("ANIM"u8, new byte[6], pad: true)),
            ("ANMF", Chunk("ANMF"u8, [.. frameHeader, .. image], pad: true)),
            ("empty ANMF", Chunk("ANMF"u8, frameHeader, pad: true)),
            ("second image chunk", image),
            ("chunk named by zeros", Chunk([0, 0, 0, 0], Bytes(random, 4), pad: true)),
            ("chunk named by bytes past ASCII", Chunk([0xFF, 0xFE, 0x80, 0x41], Bytes(random, 2), pad: true)),
            ("chunk with a size past the RIFF", [.. Chunk("JUNK"u8, [], pad: true)[..4], 0xFF, 0xFF, 0, 0]),
        ];
    }

    private static byte[] RandomStep(byte[] file, Random random, ref string what)
    {
        List<(int At, int Size)> chunks = Layout(file);
        int pick = random.Next(6);
        if (chunks.Count == 0 || file.Length < 12) pick = 5;
        (int at, int size) = chunks.Count > 0 ? chunks[random.Next(chunks.Count)] : (12, 0);
        switch (pick)
        {
            case 0:
                int cut = 1 + random.Next(Math.Max(1, file.Length - 1));
                what += $" cut at {cut}";
                return file[..Math.Min(cut, file.Length)];
            case 1:
                long lie = Math.Max(0, size + random.Next(-8, 9));
                what += $" size at {at} to {lie}";
                return WithUInt32(file, at + 4, (uint)lie);
            case 2:
                int n = random.Next(12);
                what += $" odd chunk of {n} at {at}";
                return Inserted(file, at, Chunk(random.Next(2) == 0 ? "ALPH"u8 : "ABCD"u8, Bytes(random, n), pad: random.Next(2) == 0), riff: random.Next(3) > 0);
            case 3:
                long riff = Math.Max(0, file.Length - 8 + random.Next(-12, 13));
                what += $" RIFF size {riff}";
                return WithRiffSize(file, riff);
            case 4:
                int k = 1 + random.Next(10);
                what += $" {k} bytes after";
                return [.. file, .. random.Next(2) == 0 ? new byte[k] : Bytes(random, k)];
            default:
                int p = random.Next(file.Length);
                what += $" byte {p} flipped";
                return WithByte(file, p, (byte)(file[p] ^ (1 << random.Next(8))));
        }
    }

    private static byte[] Chunk(ReadOnlySpan<byte> fourCc, byte[] data, bool pad)
    {
        var chunk = new byte[8 + data.Length + (pad ? data.Length & 1 : 0)];
        fourCc.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
        data.CopyTo(chunk, 8);
        return chunk;
    }

    private static byte[] Xmp(int seed) =>
        Encoding.UTF8.GetBytes($"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description about='corpus {seed}'/></rdf:RDF></x:xmpmeta>{new string(' ', seed % 2)}");

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static int RiffEnd(byte[] file) => (int)Math.Min(file.Length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) + 8L);

    private static byte[] Inserted(byte[] file, int at, byte[] chunk, bool riff)
    {
        byte[] result = [.. file.AsSpan(0, at), .. chunk, .. file.AsSpan(at)];
        return riff ? WithRiffSize(result, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) + (long)chunk.Length) : result;
    }

    private static byte[] WithRiffSize(byte[] file, long size) => file.Length < 8 ? file : WithUInt32(file, 4, (uint)size);

    private static byte[] WithUInt32(byte[] file, int at, uint value)
    {
        byte[] copy = [.. file];
        if (at + 4 <= copy.Length) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), value);
        return copy;
    }

    private static byte[] WithByte(byte[] file, int at, byte value)
    {
        byte[] copy = [.. file];
        copy[at] = value;
        return copy;
    }
}
