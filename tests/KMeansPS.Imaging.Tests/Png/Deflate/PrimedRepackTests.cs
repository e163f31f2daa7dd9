using System.Buffers.Binary;
using System.IO.Compression;
using KMeansPS.Imaging.Png.Deflate;

namespace KMeansPS.Imaging.Tests.Png.Deflate;

/// <summary>
/// A band deflated after its history and redrawn without the history's tokens (<see cref="DeflateRepacker.RepackPrimed"/>,
/// <see cref="PrimedTokenSource"/>): on the repacker's corpus and on joins that fall inside matches at every offset,
/// the band's stream, inflated after the history, gives the band back; its matches reach into the history, so it is
/// smaller than the band deflated alone.
/// </summary>
public class PrimedRepackTests
{
    private static (byte[] Buffer, int Length) DeflateAfter(ReadOnlySpan<byte> history, ReadOnlySpan<byte> band)
    {
        var ms = new MemoryStream();
        using (var deflate = new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(history);
            deflate.Write(band);
        }
        return (ms.GetBuffer(), (int)ms.Length);
    }

    /// <summary>The history as a stored block, then the stream, inflated by the runtime (what a decoder of the whole file does).</summary>
    private static byte[] InflateAfter(byte[] history, byte[] stream, bool final)
    {
        var whole = new MemoryStream();
        whole.WriteByte(0);
        Span<byte> lengths = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(lengths, (ushort)history.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(lengths[2..], (ushort)~history.Length);
        whole.Write(lengths);
        whole.Write(history);
        whole.Write(stream);
        if (!final) whole.Write([0x03, 0x00]);
        whole.Position = 0;
        using var inflater = new DeflateStream(whole, CompressionMode.Decompress);
        var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray()[history.Length..];
    }

    public static TheoryData<DeflateRepackerTests.Kind, int, bool> Corpus()
    {
        var data = new TheoryData<DeflateRepackerTests.Kind, int, bool>();
        foreach (DeflateRepackerTests.Kind kind in Enum.GetValues<DeflateRepackerTests.Kind>())
            foreach (int seed in new[] { 1, 2 })
                foreach (bool final in new[] { true, false })
                    data.Add(kind, seed, final);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_band_redrawn_after_its_history_inflates_after_it_to_the_band(DeflateRepackerTests.Kind kind, int seed, bool final)
    {
        byte[] data = DeflateRepackerTests.Make(kind, seed);
        int split = data.Length / 2;
        byte[] history = data[Math.Max(0, split - 32 * 1024)..split], band = data[split..];
        (byte[] buffer, int length) = DeflateAfter(history, band);
        byte[]? stream = DeflateRepacker.RepackPrimed(buffer, length, history, band, band.Length, final);
        if (band.Length == 0 || stream is null)
        {
            // Only a band too small to gain from a redraw may be refused (the caller deflates it on its own).
            Assert.True(band.Length < 64, $"{kind} {seed}: a band of {band.Length} bytes was refused");
            return;
        }
        Assert.Equal(band, InflateAfter(history, stream, final));
        if (!final) Assert.Equal([0x00, 0x00, 0xFF, 0xFF], stream[^4..]); // the sync flush's empty stored block
    }

    [Fact]
    public void Joins_inside_a_match_at_every_offset_keep_the_matchs_band_part()
    {
        // Periodic data of period 300 (longer than a match) deflates as back-to-back matches after its first period; a
        // history one byte longer at a time over 300 bytes moves the join through them, inside matches with 1, 2 and
        // 3 or more bytes left in the band.
        var random = new Random(7);
        byte[] unit = new byte[300];
        random.NextBytes(unit);
        byte[] data = [.. Enumerable.Range(0, 40_000).Select(i => unit[i % unit.Length])];
        var rests = new HashSet<int>();
        int alone = DeflateAfter([], data.AsSpan(20_000)).Length;
        for (int offset = 0; offset < 300; offset++)
        {
            const int split = 20_000;
            byte[] history = data[(split - 4_096 - offset)..split], band = data[split..]; // the parse starts with the history
            (byte[] buffer, int length) = DeflateAfter(history, band);
            rests.Add(RestAtJoin(buffer, length, history.Length));
            byte[]? stream = DeflateRepacker.RepackPrimed(buffer, length, history, band, band.Length, final: true);
            Assert.NotNull(stream);
            Assert.Equal(band, InflateAfter(history, stream, final: true));
            // All of the band is matches into the history, where the band alone must spell out a period (300 bytes) first.
            Assert.True(stream.Length + 200 < alone, $"offset {offset}: {stream.Length} bytes, {alone} alone");
        }
        Assert.Contains(1, rests);
        Assert.Contains(2, rests);
        Assert.Contains(rests, r => r >= 3);
    }

    /// <summary>How many bytes of the token that crosses the join lie in the band (0 when a token starts at the join).</summary>
    private static int RestAtJoin(byte[] buffer, int length, int historyLength)
    {
        var reader = new DeflateTokenReader(buffer, length);
        var piece = new uint[1 << 16];
        long position = 0;
        int count;
        while ((count = reader.ReadTokens(piece)) > 0)
        {
            foreach (uint token in piece.AsSpan(0, count))
            {
                long end = position + DeflateToken.RawLength(token);
                if (position < historyLength && end > historyLength) return (int)(end - historyLength);
                if (position >= historyLength) return 0;
                position = end;
            }
        }
        return 0;
    }

    [Fact]
    public void The_check_refuses_a_stream_inflated_after_the_wrong_history()
    {
        byte[] data = DeflateRepackerTests.Make(DeflateRepackerTests.Kind.PaletteRows, 3);
        int split = data.Length / 2;
        byte[] history = data[(split - 8_192)..split], band = data[split..];
        (byte[] buffer, int length) = DeflateAfter(history, band);
        byte[]? stream = DeflateRepacker.RepackPrimed(buffer, length, history, band, band.Length, final: true);
        Assert.NotNull(stream);
        Assert.True(DeflateRepacker.InflatesTo(history, stream, band));
        byte[] other = (byte[])history.Clone();
        other[^1] ^= 0x5A;
        Assert.False(DeflateRepacker.InflatesTo(other, stream, band));
        Assert.False(DeflateRepacker.InflatesTo(history, stream, band.AsSpan(0, band.Length - 1)));
    }
}
