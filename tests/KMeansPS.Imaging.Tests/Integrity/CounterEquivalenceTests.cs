using System.Text;
using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// The scanner's fast counters against straightforward models of how ImageSharp 2.1 reads the same data: GIF LZW
/// codes run with a prefix/suffix table and a pixel stack, and plain PNM samples read number by number. Random
/// inputs, valid or not, must give the same counts.
/// </summary>
public sealed class CounterEquivalenceTests
{
    [Fact]
    public void LzwCounterCountsThePixelsADecoderGives()
    {
        var random = new Random(20261202);
        Span<ushort> lengths = stackalloc ushort[4096];
        int corrupted = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            int minCodeSize = random.Next(2, 9);
            byte[] data = RandomCodes(random, minCodeSize, random.Next(1, 3000));
            (long expected, bool corrupt) = ReferencePixels(data, minCodeSize);
            var counter = new GifLzwCounter(minCodeSize, lengths, long.MaxValue);
            // Fed in sub-blocks of up to 255 bytes, as the scanner does.
            for (int i = 0; i < data.Length; i += 255) counter.Feed(data.AsSpan(i, Math.Min(255, data.Length - i)));
            Assert.Equal(corrupt, counter.Corrupt);
            Assert.Equal(expected, counter.Pixels);
            corrupted += corrupt ? 1 : 0;
        }
        Assert.InRange(corrupted, 1, 2999); // both kinds of stream were tried
    }

    /// <summary>Mostly valid codes (literals, codes in the table, the next free code, clears), sometimes invalid ones or an end code.</summary>
    private static byte[] RandomCodes(Random random, int minCodeSize, int count)
    {
        int clear = 1 << minCodeSize, codeSize = minCodeSize + 1, available = clear + 2;
        bool first = true;
        var bits = new List<byte>();
        ulong buffer = 0;
        int filled = 0;
        for (int i = 0; i < count; i++)
        {
            int roll = random.Next(100), code;
            if (roll < 2) code = clear;
            else if (roll < 3) code = random.Next(1 << codeSize);          // anything, maybe past the table
            else if (roll < 4 && i > count / 2) code = clear + 1;          // end of information
            else if (roll < 40 || first) code = random.Next(clear);       // a literal
            else code = random.Next(clear + 2, available + 1);             // in the table, or the next free code
            buffer |= (ulong)code << filled;
            filled += codeSize;
            while (filled >= 8)
            {
                bits.Add((byte)buffer);
                buffer >>= 8;
                filled -= 8;
            }
            // Follow the decoder's table so that later codes stay mostly valid.
            if (code == clear)
            {
                codeSize = minCodeSize + 1;
                available = clear + 2;
                first = true;
            }
            else if (code <= available && code != clear + 1)
            {
                if (!first && available < 4096 && ++available == 1 << codeSize && codeSize < 12) codeSize++;
                first = false;
            }
        }
        if (filled > 0) bits.Add((byte)buffer);
        return bits.ToArray();
    }

    /// <summary>
    /// The classic decoder: prefix and suffix tables, a pixel stack; counts the pixels it pushes up to where it
    /// stops, or up to a first code after a clear that is not a literal (corrupt: it would read stale entries).
    /// </summary>
    private static (long Pixels, bool Corrupt) ReferencePixels(byte[] data, int minCodeSize)
    {
        int clear = 1 << minCodeSize, end = clear + 1, codeSize = minCodeSize + 1, mask = (1 << codeSize) - 1, available = clear + 2;
        int old = -1, first = 0;
        var prefix = new int[4096];
        var suffix = new int[4096];
        for (int i = 0; i < clear; i++) suffix[i] = i;
        long pixels = 0;
        int bits = 0, datum = 0;
        foreach (byte b in data)
        {
            datum |= b << bits;
            bits += 8;
            while (bits >= codeSize)
            {
                int code = datum & mask;
                datum >>= codeSize;
                bits -= codeSize;
                if (code > available || code == end) return (pixels, false);
                if (code == clear)
                {
                    codeSize = minCodeSize + 1;
                    mask = (1 << codeSize) - 1;
                    available = clear + 2;
                    old = -1;
                    continue;
                }
                if (old == -1)
                {
                    if (code > clear) return (pixels, true);
                    pixels++;
                    old = first = code;
                    continue;
                }
                int incoming = code, stack = 0;
                if (code == available)
                {
                    stack++;
                    code = old;
                }
                while (code > clear && stack < 4096)
                {
                    stack++;
                    code = prefix[code];
                }
                first = suffix[code];
                stack++;
                if (available < 4096)
                {
                    prefix[available] = old;
                    suffix[available] = first;
                    available++;
                    if (available == mask + 1 && available < 4096)
                    {
                        codeSize++;
                        mask = (1 << codeSize) - 1;
                    }
                }
                old = incoming;
                pixels += stack;
            }
        }
        return (pixels, false);
    }

    [Fact]
    public void PlainPnmSampleCountMatchesImageSharpsReading()
    {
        var random = new Random(7);
        string[] pieces = ["0", "7", "255", "65535", "12", " ", "  ", "\n", "\r\n", "\t", "#c\n", "# a comment 12 34\n", "x", "#", "-", ".", "\u00ff"];
        for (int trial = 0; trial < 4000; trial++)
        {
            var text = new StringBuilder();
            int parts = random.Next(0, 400);
            // Mostly numbers and spaces; now and then a comment, a sample above 255 or something that is no number.
            for (int i = 0; i < parts; i++)
                text.Append(random.Next(10) < 8 ? (random.Next(2) == 0 ? random.Next(256).ToString(System.Globalization.CultureInfo.InvariantCulture) : " ") : pieces[random.Next(pieces.Length)]);
            if (random.Next(3) == 0) text.Append('\n');
            byte[] raster = Encoding.Latin1.GetBytes(text.ToString());
            int width = random.Next(1, 12), height = random.Next(1, 12);
            byte[] file = [.. Encoding.ASCII.GetBytes($"P2\n{width} {height}\n255\n"), .. raster];
            long needed = (long)width * height;
            (long samples, string? wrong) = ReferenceSamples(file, Encoding.ASCII.GetByteCount($"P2\n{width} {height}\n255\n"), needed);
            IntegrityReport report = FileIntegrity.Check(file);
            if (wrong is not null) Assert.True(report.Verdict == IntegrityVerdict.Damaged && (report.Reason ?? "").Contains(wrong, StringComparison.Ordinal), $"trial {trial}: expected '{wrong}', got {report.Verdict}: {report.Reason}");
            else if (samples >= needed) Assert.True(report.Verdict == IntegrityVerdict.Intact, $"trial {trial}: {report.Reason}");
            else Assert.Contains($"holds {samples:N0} of {needed:N0} samples", report.Reason);
        }
    }

    /// <summary>
    /// ImageSharp's loop: read a number (digits and the byte after them), then skip whitespace and comments; stop at
    /// the end. Also the first sample read that is no number (no digits, or digits ended by anything but
    /// whitespace or the end) or above 255, as the reason fragment the scanner should give.
    /// </summary>
    private static (long Samples, string? Wrong) ReferenceSamples(byte[] file, int p, long needed)
    {
        bool Skip()
        {
            while (p < file.Length)
            {
                byte b = file[p];
                if (b == '#')
                {
                    while (p < file.Length && file[p] != '\n') p++;
                    if (p >= file.Length) return false;
                    p++;
                    continue;
                }
                if (b is 9 or 10 or 13 or 32) p++;
                else return true;
            }
            return false;
        }
        if (!Skip()) return (0, null); // the header's last skip, at the end of the file
        long got = 0;
        while (got < needed)
        {
            if (p >= file.Length) break;
            int start = p;
            long value = 0;
            while (p < file.Length && file[p] >= '0' && file[p] <= '9') value = Math.Min(value * 10 + file[p++] - '0', (long)int.MaxValue + 1);
            if (p == start || (p < file.Length && file[p] is not (9 or 10 or 13 or 32))) return (got, $"sample {got + 1:N0} of the PGM is not a number");
            if (value > 255) return (got, $"sample {got + 1:N0} of the PGM is {value:N0}, above its maximum value 255");
            if (p < file.Length) p++;
            got++;
            if (!Skip()) break;
        }
        return (got, null);
    }
}
