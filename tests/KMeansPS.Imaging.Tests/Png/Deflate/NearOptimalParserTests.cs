using System.IO.Compression;
using KMeansPS.Imaging.Png.Deflate;
using static KMeansPS.Imaging.Tests.Png.Deflate.DeflateRepackerTests;

namespace KMeansPS.Imaging.Tests.Png.Deflate;

/// <summary>
/// The near-optimal parse and its match finder on the repacker's seeded corpus: the tokens stand for exactly the
/// bytes, the stream drawn from them inflates (by the runtime's zlib) to them, the parse is smaller than zlib's on
/// palette rows and text, it is deterministic, and every match the finder lists is real and the longest it can be.
/// </summary>
public class NearOptimalParserTests
{
    public static TheoryData<Kind, int> Corpus()
    {
        var data = new TheoryData<Kind, int>();
        foreach (Kind kind in Enum.GetValues<Kind>())
            foreach (int seed in new[] { 1, 2, 3 }) data.Add(kind, seed);
        return data;
    }

    /// <summary>The bytes <paramref name="tokens"/> stand for, checking each match is one deflate allows.</summary>
    private static byte[] Expand(uint[] tokens)
    {
        var bytes = new List<byte>();
        foreach (uint token in tokens)
        {
            if (DeflateToken.IsLiteral(token))
            {
                bytes.Add((byte)token);
                continue;
            }
            int length = DeflateToken.Length(token), distance = DeflateToken.Distance(token);
            Assert.InRange(length, 3, 258);
            Assert.InRange(distance, 1, Math.Min(32768, bytes.Count));
            for (int i = 0; i < length; i++) bytes.Add(bytes[^distance]);
        }
        return [.. bytes];
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void The_tokens_stand_for_the_bytes_and_their_stream_inflates_to_them(Kind kind, int seed)
    {
        byte[] raw = Make(kind, seed);
        uint[] tokens = new NearOptimalParser().Parse(raw, TestContext.Current.CancellationToken);
        Assert.Equal(raw, Expand(tokens));
        Assert.Equal(tokens, new NearOptimalParser().Parse(raw, TestContext.Current.CancellationToken));
        if (raw.Length == 0) return;
        byte[]? stream = DeflateRepacker.Encode(tokens, raw, final: true, limit: raw.Length * 2 + 1024);
        Assert.NotNull(stream);
        Assert.Equal(raw, Inflate(stream));
    }

    [Theory]
    [InlineData(Kind.PaletteRows, 1)]
    [InlineData(Kind.PaletteRows, 2)]
    [InlineData(Kind.DriftingRows, 1)]
    [InlineData(Kind.Text, 1)]
    [InlineData(Kind.Runs, 1)]
    public void The_parse_is_smaller_than_zlibs_with_the_same_blocks(Kind kind, int seed)
    {
        byte[] raw = Make(kind, seed);
        byte[] zlib = DeflateRepacker.Repack(DeflateRepackerTests.Deflate(raw, CompressionLevel.SmallestSize), raw, final: true);
        uint[] tokens = new NearOptimalParser().Parse(raw, TestContext.Current.CancellationToken);
        byte[]? ours = DeflateRepacker.Encode(tokens, raw, final: true, limit: zlib.Length);
        Assert.NotNull(ours); // null: not smaller than zlib's parse with its blocks redrawn
        Assert.Equal(raw, Inflate(ours));
    }

    [Fact]
    public void Parts_parsed_on_any_number_of_threads_give_the_same_tokens_and_reach_back_across_part_ends()
    {
        // Rows of a smooth palette image repeated with small changes, longer than two parts: rows just after a part's
        // start match the rows above them, in the part before.
        int rowBytes = 1001, rows = (2 * NearOptimalParser.PartBytes + 12_345) / rowBytes;
        var random = new Random(11);
        var raw = new byte[rowBytes * rows];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < rowBytes; x++)
                raw[y * rowBytes + x] = (byte)((x / 13 + y / 50 + (random.Next(40) == 0 ? 1 : 0)) % 16);
        uint[] one = NearOptimalParser.ParseParts(raw, raw.Length, threads: 1, TestContext.Current.CancellationToken);
        uint[] two = NearOptimalParser.ParseParts(raw, raw.Length, threads: 2, TestContext.Current.CancellationToken);
        uint[] four = NearOptimalParser.ParseParts(raw, raw.Length, threads: 4, TestContext.Current.CancellationToken);
        Assert.Equal(one, two);
        Assert.Equal(one, four);
        Assert.Equal(raw, Expand(one));

        // No token crosses a part's end, and the second part starts with a match: at its first byte, only one that
        // reaches back into the first part.
        int at = 0, token = 0;
        while (at < NearOptimalParser.PartBytes) at += DeflateToken.RawLength(one[token++]);
        Assert.Equal(NearOptimalParser.PartBytes, at);
        Assert.False(DeflateToken.IsLiteral(one[token]));

        byte[]? stream = DeflateRepacker.Encode(one, raw, final: true, limit: raw.Length);
        Assert.NotNull(stream);
        Assert.Equal(raw, Inflate(stream));
    }

    [Fact]
    public void One_parse_takes_at_most_MaxBytes_from_its_start_on()
    {
        byte[] data = new byte[NearOptimalParser.MaxBytes + 2];
        var parser = new NearOptimalParser(maxChain: 4, passes: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => parser.Parse(data, 1, TestContext.Current.CancellationToken));
        // Up to the limit it parses (a parse of 8 MiB is left out: the tests run under emulation in CI's arm64 legs).
        uint[] tokens = parser.Parse(data.AsSpan(0, 1 << 16), 1, TestContext.Current.CancellationToken);
        Assert.Equal((1 << 16) - 1, tokens.Sum(t => DeflateToken.IsLiteral(t) ? 1L : DeflateToken.Length(t)));
    }

    [Fact]
    public void A_band_keeps_its_sync_flush_ending_and_a_limit_it_cannot_beat_gives_null()
    {
        byte[] raw = Make(Kind.PaletteRows, 3);
        uint[] tokens = new NearOptimalParser().Parse(raw, TestContext.Current.CancellationToken);
        byte[]? band = DeflateRepacker.Encode(tokens, raw, final: false, limit: raw.Length);
        Assert.NotNull(band);
        Assert.Equal(new byte[] { 0x00, 0x00, 0xFF, 0xFF }, band[^4..]);
        Assert.Equal(raw, Inflate([.. band, 0x03, 0x00])); // a final empty fixed block makes it a whole stream
        Assert.Null(DeflateRepacker.Encode(tokens, raw, final: false, limit: band.Length)); // not smaller than itself
    }

    [Theory]
    [InlineData(Kind.PaletteRows, 1)]
    [InlineData(Kind.Text, 2)]
    [InlineData(Kind.Runs, 3)]
    [InlineData(Kind.Tiny, 3)]
    public void Every_listed_match_is_real_and_the_longest_is_the_longest_in_the_window(Kind kind, int seed)
    {
        byte[] raw = Make(kind, seed)[..Math.Min(40_000, Make(kind, seed).Length)];
        var starts = new int[raw.Length + 1];
        var matches = new uint[16];
        new Lz77MatchFinder(maxChain: 1 << 20, niceLength: Lz77MatchFinder.MaxMatch).Find(raw, 0, starts, ref matches, TestContext.Current.CancellationToken);
        int skipUntil = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            int previous = 2;
            for (int m = starts[i]; m < starts[i + 1]; m++)
            {
                int length = (int)(matches[m] & 0xFFFF), distance = (int)(matches[m] >> 16);
                Assert.True(length > previous, $"position {i}: lengths do not rise");
                Assert.InRange(distance, 1, Math.Min(i, Lz77MatchFinder.Window - 1));
                Assert.True(raw.AsSpan(i, length).SequenceEqual(raw.AsSpan(i - distance, length)), $"position {i}: not a match");
                previous = length;
            }
            if (i < skipUntil) continue; // inside a match of the nice length: no list of its own
            if (previous >= Lz77MatchFinder.MaxMatch) skipUntil = i + previous;
            // The search of every earlier position is dear (and runs under emulation in CI): every 25th position, and
            // every position where the window's first slots are reused.
            if (i % 25 != 0 && Math.Abs(i - Lz77MatchFinder.Window) > 400) continue;
            int longest = LongestMatch(raw, i);
            Assert.True(longest == (previous >= 3 ? previous : 0), $"position {i}: listed {previous}, longest {longest}");
        }
    }

    private static int LongestMatch(byte[] raw, int i)
    {
        int limit = Math.Min(Lz77MatchFinder.MaxMatch, raw.Length - i), best = 0;
        for (int candidate = Math.Max(0, i - Lz77MatchFinder.Window + 1); candidate < i; candidate++)
            best = Math.Max(best, raw.AsSpan(i, limit).CommonPrefixLength(raw.AsSpan(candidate, limit)));
        return best >= 3 ? best : 0;
    }
}
