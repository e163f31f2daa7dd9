using KMeansPS.Imaging.Png.Deflate;

namespace KMeansPS.Imaging.Tests.Png.Deflate;

/// <summary>
/// The packed token (symbols and extra-bit values) and the canonical codes that the reader and the writer share.
/// </summary>
public class DeflateTokenTests
{
    [Fact]
    public void Every_length_and_every_distance_packs_and_unpacks_to_itself()
    {
        for (int length = 3; length <= 258; length++)
        {
            foreach (int distance in new[] { 1, 2, 5, 4096, 24577, 32768 })
            {
                uint token = DeflateToken.Match(length, distance);
                Assert.False(DeflateToken.IsLiteral(token));
                Assert.Equal((length, distance), (DeflateToken.Length(token), DeflateToken.Distance(token)));
                Assert.Equal(DeflateSymbols.LengthSymbol(length), DeflateToken.LiteralLengthSymbol(token));
                Assert.Equal(length, DeflateToken.RawLength(token));
                Assert.True(DeflateToken.LengthExtraValue(token) < 1u << DeflateSymbols.LengthExtra[DeflateToken.LiteralLengthSymbol(token) - 257]);
            }
        }
        for (int distance = 1; distance <= 32768; distance++)
        {
            foreach (int length in new[] { 3, 130, 257, 258 })
            {
                uint token = DeflateToken.Match(length, distance);
                Assert.Equal((length, distance), (DeflateToken.Length(token), DeflateToken.Distance(token)));
                Assert.Equal(DeflateSymbols.DistanceSymbol(distance), DeflateToken.DistanceSymbol(token));
                // The extra-bit value fits the bits the symbol gives it (none: 0).
                Assert.True(DeflateToken.DistanceExtraValue(token) < 1u << DeflateSymbols.DistanceExtra[DeflateToken.DistanceSymbol(token)]);
            }
        }
        // The widest fields at their largest: symbol 284's 5 extra bits at 31 (length 258 as zlib never writes it,
        // but a stream may), symbol 29's 13 at 8,191.
        uint widest = DeflateToken.Match(284, 31, 29, 8191);
        Assert.Equal((284, 29, 31u, 8191u), (DeflateToken.LiteralLengthSymbol(widest), DeflateToken.DistanceSymbol(widest), DeflateToken.LengthExtraValue(widest), DeflateToken.DistanceExtraValue(widest)));
        Assert.Equal((258, 32768), (DeflateToken.Length(widest), DeflateToken.Distance(widest)));
        Assert.False(DeflateToken.IsLiteral(widest));
        for (uint literal = 0; literal < 256; literal++)
        {
            Assert.True(DeflateToken.IsLiteral(literal));
            Assert.Equal((int)literal, DeflateToken.LiteralLengthSymbol(literal));
            Assert.Equal(1, DeflateToken.RawLength(literal));
        }
    }

    [Fact]
    public void Canonical_codes_follow_the_rfc_example_and_refuse_lengths_that_are_no_code()
    {
        // RFC 1951 section 3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give 010 011 100 101 110 00 1110 1111.
        byte[] lengths = [3, 3, 3, 3, 3, 2, 4, 4];
        int[] msbFirst = [0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111];
        var codes = new ushort[lengths.Length];
        Assert.True(DeflateSymbols.CanonicalCodes(lengths, codes));
        for (int s = 0; s < lengths.Length; s++) Assert.Equal(DeflateSymbols.Reverse(msbFirst[s], lengths[s]), codes[s]);

        Assert.False(DeflateSymbols.CanonicalCodes([1, 1, 1], new ushort[3])); // three 1-bit codes
        Assert.False(DeflateSymbols.CanonicalCodes([16, 1], new ushort[2])); // longer than 15 bits
        Assert.True(DeflateSymbols.CanonicalCodes([0, 1, 0, 1], new ushort[4]));
    }

    [Fact]
    public void The_reader_refuses_a_block_whose_code_lengths_are_no_code()
    {
        // A dynamic block whose code-length code gives three symbols one bit each: over-subscribed.
        var writer = new DeflateBitWriter(16);
        writer.Write(1 | (2u << 1), 3); // final, dynamic
        writer.Write(0, 5); // 257 literal/length codes
        writer.Write(0, 5); // 1 distance code
        writer.Write(0, 4); // 4 code-length code lengths: for 16, 17, 18, 0
        writer.Write(1, 3);
        writer.Write(1, 3);
        writer.Write(1, 3);
        writer.Write(0, 3);
        writer.Write(0, 16);
        writer.AlignToByte();
        var error = Assert.Throws<InvalidDataException>(() => DeflateTokenReader.Read(writer.ToArray()));
        Assert.StartsWith("Code lengths that are no code", error.Message, StringComparison.Ordinal); // not the stream's end
    }
}
