using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tiff;

namespace KMeansPS.Imaging.Tests.Tiff;

/// <summary>
/// The one walk of a TIFF strip's LZW codes, counting (the integrity scanner's judgement of a strip) and decoding (the
/// strips a copy is rewritten from), against a plain decoder with a table of byte strings, over a seeded corpus of
/// valid, cut, damaged and random streams: the count is the decoded length, the bytes are the plain decoder's, and the
/// data is corrupt exactly where a code names no string yet, whatever the limit.
/// </summary>
public sealed class TiffLzwDecoderTests
{
    [Fact]
    public void TheCountIsTheDecodedLengthAndTheBytesAreAPlainDecodersOnEveryStream()
    {
        var random = new Random(5);
        var decoder = new TiffLzwDecoder(); // one for every stream, as a file's strips share one
        int corrupted = 0, whole = 0;
        foreach ((string name, byte[] data) in TiffLzwStreams.All())
        {
            if (TiffLzwDecoder.IsOldStyle(data)) continue; // read by another rule, neither counted nor decoded
            (List<byte> expected, List<long> ends, bool corrupt) = Reference(data);
            long count = TiffLzwDecoder.Count(data, long.MaxValue, out bool counted);
            Assert.True(count == expected.Count && counted == corrupt, $"{name}: counted {count} ({counted}), expected {expected.Count} ({corrupt})");
            corrupted += corrupt ? 1 : 0;
            whole += corrupt ? 0 : 1;

            byte[] destination = new byte[expected.Count + 3];
            Assert.True(decoder.Decode(data, destination) == expected.Count, name);
            Assert.True(destination.AsSpan(0, expected.Count).SequenceEqual(expected.ToArray()), $"{name}: other bytes");

            // Up to a limit: the walk stops after the code that reaches it, and sees the damage only before it.
            foreach (long limit in new[] { 0L, 1, random.NextInt64(0, expected.Count + 2), expected.Count - 1L })
            {
                if (limit < 0) continue;
                long atCode = ends.FirstOrDefault(end => end >= limit, expected.Count);
                Assert.True(TiffLzwDecoder.Count(data, limit, out bool cut) == atCode && cut == (corrupt && expected.Count < limit), $"{name}: limit {limit}");
                byte[] part = new byte[limit];
                Assert.True(decoder.Decode(data, part) == Math.Min(limit, expected.Count), $"{name}: decoded up to {limit}");
                Assert.True(part.AsSpan(0, (int)Math.Min(limit, expected.Count)).SequenceEqual(expected.ToArray().AsSpan(0, (int)Math.Min(limit, expected.Count))), $"{name}: bytes up to {limit}");
            }
        }
        Assert.True(corrupted > 100 && whole > 100, $"{corrupted} corrupt streams, {whole} others");
    }

    /// <summary>
    /// TIFF 6.0's LZW read plainly: a table of byte strings, codes MSB first, the width one bit more from the code before
    /// the table needs it; stops at the end code, at the end of the data, or at a code that names no string yet
    /// (corrupt). Gives the bytes, the running total before the first code and after each, and whether it stopped as corrupt.
    /// </summary>
    private static (List<byte> Bytes, List<long> Ends, bool Corrupt) Reference(byte[] data)
    {
        var output = new List<byte>();
        var ends = new List<long> { 0 };
        var table = new List<byte[]>();
        void Reset()
        {
            table.Clear();
            for (int c = 0; c < 256; c++) table.Add([(byte)c]);
            table.Add([]); // clear
            table.Add([]); // end
        }
        Reset();
        int width = 9;
        byte[]? previous = null;
        long bitPosition = 0, totalBits = data.Length * 8L;
        while (bitPosition + width <= totalBits)
        {
            int code = 0;
            for (int i = 0; i < width; i++, bitPosition++) code = code << 1 | data[bitPosition >> 3] >> (7 - (int)(bitPosition & 7)) & 1;
            if (code == 257) break;
            if (code == 256)
            {
                Reset();
                (width, previous) = (9, null);
                continue;
            }
            byte[] current;
            if (previous is null)
            {
                if (code > 255) return (output, ends, true);
                current = table[code];
            }
            else
            {
                if (code < 256 || (code >= 258 && code < table.Count)) current = table[code];
                else if (code == table.Count && code < 4096) current = [.. previous, previous[0]];
                else return (output, ends, true);
                if (table.Count < 4096)
                {
                    table.Add([.. previous, current[0]]);
                    if (table.Count + 1 >= 1 << width && width < 12) width++;
                }
            }
            output.AddRange(current);
            ends.Add(output.Count);
            previous = current;
        }
        return (output, ends, false);
    }
}
