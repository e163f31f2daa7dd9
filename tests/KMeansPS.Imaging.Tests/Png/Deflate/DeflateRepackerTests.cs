using System.IO.Compression;
using KMeansPS.Imaging.Png.Deflate;

namespace KMeansPS.Imaging.Tests.Png.Deflate;

/// <summary>
/// The block redrawer: on a seeded corpus of data kinds and compression levels, the result inflates (by the runtime's
/// zlib) to the same bytes, holds the same tokens, is never larger, and a band keeps its sync-flush ending.
/// </summary>
public class DeflateRepackerTests
{
    /// <summary>Kinds of data, each at a few sizes: what an encoder sees (palette rows) and what it should survive.</summary>
    public enum Kind { PaletteRows, DriftingRows, Noise, Runs, Text, Tiny, Periodic }

    public static TheoryData<Kind, int, CompressionLevel> Cases()
    {
        var data = new TheoryData<Kind, int, CompressionLevel>();
        foreach (Kind kind in Enum.GetValues<Kind>())
            foreach (int seed in new[] { 1, 2, 3 })
                foreach (CompressionLevel level in new[] { CompressionLevel.SmallestSize, CompressionLevel.Fastest, CompressionLevel.NoCompression })
                    data.Add(kind, seed, level);
        return data;
    }

    internal static byte[] Make(Kind kind, int seed)
    {
        var random = new Random(seed);
        switch (kind)
        {
            case Kind.Tiny:
                return [.. Enumerable.Range(0, seed * 3 - 2).Select(_ => (byte)random.Next(4))];
            case Kind.Noise:
                var noise = new byte[70_000 + seed * 1_000]; // more than one stored block's 65,535 bytes
                random.NextBytes(noise);
                return noise;
            case Kind.Runs:
                var runs = new List<byte>();
                while (runs.Count < 100_000) runs.AddRange(Enumerable.Repeat((byte)random.Next(256), random.Next(1, 400)));
                return [.. runs];
            case Kind.Periodic:
            {
                // A period of 2, 258 or 259 bytes (one more than the longest match): every position matches as far
                // as deflate allows, the match finder's trees at their deepest.
                int period = seed switch { 1 => 2, 2 => 258, _ => 259 };
                byte[] unit = [.. Enumerable.Range(0, period).Select(_ => (byte)random.Next(256))];
                return [.. Enumerable.Range(0, 90_000).Select(i => unit[i % period])];
            }
            case Kind.Text:
                string[] words = ["deflate", "block", "huffman", "palette", "index", "kmeans", "pixel", "row", "the", "a"];
                var text = new System.Text.StringBuilder();
                while (text.Length < 60_000) text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ".\n" : " ");
                return System.Text.Encoding.ASCII.GetBytes(text.ToString());
            default:
            {
                // Scanlines of 16- or 256-colour indices: smooth areas with grain; DriftingRows changes its statistics
                // half way down, the case that more blocks serve.
                int width = 300 + seed * 37, height = 200, colours = kind == Kind.PaletteRows ? 16 : 256;
                var rows = new byte[(width + 1) * height];
                for (int y = 0; y < height; y++)
                {
                    rows[y * (width + 1)] = 0; // filter None
                    bool second = kind == Kind.DriftingRows && y >= height / 2;
                    for (int x = 0; x < width; x++)
                    {
                        double v = second ? random.NextDouble() * colours : (Math.Sin(x / 19.0 + seed) * Math.Cos(y / 13.0) + 1) / 2 * (colours - 1) + random.NextDouble();
                        rows[y * (width + 1) + 1 + x] = (byte)Math.Clamp((int)v, 0, colours - 1);
                    }
                }
                return rows;
            }
        }
    }

    internal static byte[] Deflate(ReadOnlySpan<byte> raw, CompressionLevel level)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, level, leaveOpen: true)) deflate.Write(raw);
        return output.ToArray();
    }

    internal static byte[] Inflate(byte[] deflate)
    {
        using var input = new DeflateStream(new MemoryStream(deflate), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// The tokens of a whole stream, which must end in a final block with nothing after it (the runtime's inflater
    /// does not tell a stream without its final block from a whole one, so this is checked here).
    /// </summary>
    private static uint[] Tokens(byte[] deflate) => Tokens(deflate, final: true);

    private static uint[] Tokens(byte[] deflate, bool final)
    {
        (uint[] tokens, DeflateTokenReader reader) = DeflateTokenReader.Read(deflate);
        Assert.Equal(final, reader.FinalBlockSeen);
        Assert.True(reader.InputConsumed, "bytes after the stream's end");
        return tokens;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Redrawn_streams_inflate_to_the_same_bytes_with_the_same_tokens_and_never_grow(Kind kind, int seed, CompressionLevel level)
    {
        byte[] raw = Make(kind, seed);
        byte[] original = Deflate(raw, level);
        byte[] repacked = DeflateRepacker.Repack(original, raw, final: true);

        Assert.True(repacked.Length <= original.Length, $"{repacked.Length} > {original.Length}");
        Assert.Equal(raw, Inflate(repacked));
        if (kind != Kind.Noise) Assert.Equal(Tokens(original), Tokens(repacked)); // noise may go out as stored blocks: literals
        // Stored input always has something to gain, so here a silent fallback (every redraw rejected) would show.
        if (level == CompressionLevel.NoCompression && kind is not (Kind.Noise or Kind.Tiny)) Assert.NotSame(original, repacked);
        Assert.Equal(repacked, DeflateRepacker.Repack(original, raw, final: true)); // the same bytes every time
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_stream_read_in_pieces_gives_the_same_bytes_back_whatever_the_piece(bool final)
    {
        // Pieces bound the memory of a large band; every piece ends a block, and a piece that ends exactly where the
        // tokens do still leaves a final block (or the band's sync flush). Palette rows, not drifting ones, whose
        // noisy half may rightly go out as stored blocks (literals).
        byte[] raw = Make(Kind.PaletteRows, 3);
        byte[] original = final ? Deflate(raw, CompressionLevel.SmallestSize) : DeflateFlushed(raw);
        int tokens = Tokens(original, final).Length;
        foreach (int pieceTokens in new[] { 1, 700, tokens / 3, tokens - 1, tokens, tokens + 1 })
        {
            byte[] repacked = DeflateRepacker.Repack(original, original.Length, raw, final, pieceTokens) ?? original;
            Assert.True(repacked.Length <= original.Length);
            uint[] redrawnTokens = Tokens(repacked, final); // a whole stream, or a band without a final block
            if (pieceTokens >= 700) Assert.Equal(Tokens(original, final), redrawnTokens); // (tiny blocks may go out stored)
            Assert.Equal(raw, Inflate(final ? repacked : [.. repacked, 0x03, 0x00]));
            if (!final) Assert.Equal(new byte[] { 0, 0, 0xFF, 0xFF }, repacked[^4..]);
            if (pieceTokens >= tokens / 3) Assert.NotSame(original, repacked); // still worth redrawing
        }
    }

    [Fact]
    public void Only_the_stream_within_a_larger_buffer_is_read()
    {
        // As the encoder passes zlib's output: the memory stream's buffer, longer than the stream it holds.
        byte[] raw = Make(Kind.DriftingRows, 2);
        byte[] original = Deflate(raw, CompressionLevel.SmallestSize);
        var buffer = new byte[original.Length + 1000];
        new Random(9).NextBytes(buffer);
        original.CopyTo(buffer, 0);
        byte[]? repacked = DeflateRepacker.Repack(buffer, original.Length, raw, final: true);
        Assert.NotNull(repacked);
        Assert.Equal(DeflateRepacker.Repack(original, raw, final: true), repacked);
        Assert.Null(DeflateRepacker.Repack(buffer, original.Length / 2, raw, final: true)); // cut short: nothing to offer
    }

    [Fact]
    public void Palette_rows_whose_statistics_drift_come_out_smaller_in_more_blocks()
    {
        // The case the redrawer exists for: two halves of unlike statistics in zlib's large blocks.
        byte[] raw = Make(Kind.DriftingRows, 1);
        byte[] original = Deflate(raw, CompressionLevel.SmallestSize);
        byte[] repacked = DeflateRepacker.Repack(original, raw, final: true);
        Assert.True(repacked.Length < original.Length * 0.995, $"{repacked.Length} against {original.Length}");
    }

    [Fact]
    public void Bands_keep_their_sync_flush_and_join_into_one_stream()
    {
        // As PalettePngEncoder joins its bands: each but the last ends with a sync flush (no final block).
        byte[] first = Make(Kind.PaletteRows, 1), second = Make(Kind.DriftingRows, 2);
        byte[] band = DeflateFlushed(first);
        byte[] repackedBand = DeflateRepacker.Repack(band, first, final: false);
        Assert.NotSame(band, repackedBand);
        Assert.Equal(new byte[] { 0, 0, 0xFF, 0xFF }, repackedBand[^4..]);
        Assert.True(repackedBand.Length <= band.Length);
        Assert.Equal(Tokens(band, final: false), Tokens(repackedBand, final: false));
        byte[] last = DeflateRepacker.Repack(Deflate(second, CompressionLevel.SmallestSize), second, final: true);
        Assert.Equal([.. first, .. second], Inflate([.. repackedBand, .. last]));
    }

    [Fact]
    public void The_check_before_a_redraw_is_kept_tells_a_faithful_stream_from_a_faulty_one()
    {
        byte[] raw = Make(Kind.PaletteRows, 2);
        byte[] whole = Deflate(raw, CompressionLevel.SmallestSize), band = DeflateFlushed(raw);
        Assert.True(DeflateRepacker.InflatesTo(whole, raw));
        Assert.True(DeflateRepacker.InflatesTo([.. band, 0x03, 0x00], raw)); // a band closed as the repacker closes it
        byte[] other = (byte[])raw.Clone();
        other[other.Length / 2] ^= 1;
        Assert.False(DeflateRepacker.InflatesTo(whole, other));
        Assert.False(DeflateRepacker.InflatesTo(whole, raw.AsSpan(0, raw.Length - 1)));
        Assert.False(DeflateRepacker.InflatesTo(whole, [.. raw, 0]));
        byte[] corrupt = (byte[])whole.Clone();
        corrupt[corrupt.Length / 3] ^= 0x5A;
        Assert.False(DeflateRepacker.InflatesTo(corrupt, raw));
    }

    [Theory]
    [InlineData(CompressionLevel.SmallestSize)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.NoCompression)]
    public void Damaged_streams_are_refused_and_never_redrawn_into_other_bytes(CompressionLevel level)
    {
        // Seeded damage to dynamic, fixed and stored blocks: flipped bits, replaced bytes, cuts at any point. The reader
        // may only refuse with InvalidDataException (no index or overflow fault escapes), and the redraw either returns
        // the damaged stream itself or one that inflates to the scanlines.
        byte[] raw = Make(Kind.PaletteRows, 1);
        byte[] original = Deflate(raw, level);
        var random = new Random(17 + (int)level);
        for (int trial = 0; trial < 240; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            switch (trial % 3)
            {
                case 0:
                    damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    damaged[random.Next(Math.Min(damaged.Length, 64))] = (byte)random.Next(256); // headers, mostly
                    break;
                default:
                    damaged = damaged[..random.Next(damaged.Length)];
                    break;
            }
            try
            {
                DeflateTokenReader.Read(damaged);
            }
            catch (InvalidDataException)
            {
            }
            byte[] result = DeflateRepacker.Repack(damaged, raw, final: true);
            if (!ReferenceEquals(result, damaged)) Assert.Equal(raw, Inflate(result));
        }
    }

    private static byte[] DeflateFlushed(byte[] raw)
    {
        using var output = new MemoryStream();
        long end;
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(raw);
            deflate.Flush();
            end = output.Length;
        }
        return output.GetBuffer().AsSpan(0, (int)end).ToArray();
    }

    [Fact]
    public void A_malformed_or_mismatched_stream_is_returned_as_it_came()
    {
        byte[] raw = Make(Kind.PaletteRows, 1);
        byte[] original = Deflate(raw, CompressionLevel.SmallestSize);
        byte[] truncated = original[..(original.Length / 2)];
        Assert.Same(truncated, DeflateRepacker.Repack(truncated, raw, final: true));
        byte[] reserved = [0x07, 0x00]; // block type 3
        Assert.Same(reserved, DeflateRepacker.Repack(reserved, raw, final: true));
        Assert.Same(original, DeflateRepacker.Repack(original, raw.AsSpan(0, raw.Length - 1), final: true)); // not the bytes it stands for
    }

    [Fact]
    public void Every_block_kind_written_reads_back_as_its_tokens()
    {
        // 32 KiB of zeros (so the longest distance has history), 71,000 bytes of noise (a stored block holds at most
        // 65,535), then matches at the extremes of length and distance.
        var random = new Random(5);
        var noise = new byte[71_000];
        random.NextBytes(noise);
        // Literals 0-255 all occur: the fixed code's 7-, 8- and 9-bit codes (a fixed block built over 286 symbols, not
        // its 288, shifted every 9-bit code).
        uint[] tokens = [.. new uint[32768], .. noise.Select(b => (uint)b), DeflateToken.Match(258, 1000), DeflateToken.Match(3, 1), DeflateToken.Match(10, 32768), DeflateToken.Match(100, 7)];
        byte[] raw = Expand(tokens);
        foreach (DeflateBlockCoder.Kind kind in Enum.GetValues<DeflateBlockCoder.Kind>())
        {
            var coder = new DeflateBlockCoder();
            var writer = new DeflateBitWriter(16);
            (long bits, DeflateBlockCoder.Kind best) = coder.Measure(tokens, raw.Length);
            coder.Write(writer, tokens, raw, kind, final: true);
            writer.AlignToByte();
            byte[] stream = writer.ToArray();
            Assert.Equal(raw, Inflate(stream));
            Assert.Equal(kind == DeflateBlockCoder.Kind.Stored ? raw.Select(b => (uint)b).ToArray() : tokens, Tokens(stream));
            if (kind == best && kind != DeflateBlockCoder.Kind.Stored)
                Assert.InRange(stream.Length * 8L, bits, bits + 7); // the measure is exact, but the final padding
        }
    }

    /// <summary>The bytes a token list stands for.</summary>
    internal static byte[] Expand(uint[] tokens)
    {
        var output = new List<byte>();
        foreach (uint token in tokens)
        {
            if (DeflateToken.IsLiteral(token))
            {
                output.Add((byte)token);
                continue;
            }
            int length = DeflateToken.Length(token), distance = DeflateToken.Distance(token);
            for (int i = 0; i < length; i++) output.Add(output[^distance]);
        }
        return [.. output];
    }
}
