using System.Buffers;
using System.Numerics;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Walks a TIFF strip's CCITT fax codes as a decoder does and counts the whole rows they hold, without producing a
/// pixel. ImageSharp 2.1 pads a Modified Huffman or T.4 strip whose codes end before its rows (with white), so a strip
/// cut short with its byte count set to match came out as a picture with white rows at the bottom (libtiff warns of
/// it). T.6 strips, on which ImageSharp mostly throws instead, are walked alike, so that the reason names the strip.
/// </summary>
/// <remarks>
/// A row is whole when its runs, white first and then taking turns (make-up codes adding to the terminating code
/// after them), add up to the width. Modified Huffman rows start at byte boundaries; T.4 rows may each follow an EOL
/// code (eleven or more zero bits, which take in any fill, then a one); T.6 rows are coded against the row above by
/// their changing elements (pass, horizontal and vertical modes), and an EOL code where a row should start is the end
/// of the data (EOFB). Bytes stored with their bits reversed (FillOrder 2) are read reversed. Damage, given in
/// <c>error</c>: bits that start no code, a row's runs adding up to more than the width, an EOL code inside a row, a
/// vertical code pointing outside the row. Work is bounded by the data's bits and the <c>rows</c> asked for; the T.6
/// walk rents two buffers of at most min(width, data bits) + 2 changing elements.
/// </remarks>
internal static class FaxRowCounter
{
    private const int EolZeros = 11;

    /// <summary>How a run or a row ended.</summary>
    private enum Outcome
    {
        Whole,
        DataEnds,
        NoCode,
        EolInRow,
        TooLong,
        OutsideRow,
        Extension,
    }

    /// <summary>
    /// The whole rows <paramref name="data"/> holds, counted up to <paramref name="rows"/>; <paramref name="error"/>
    /// says what is wrong where the data stops making sense (null when it just ends).
    /// </summary>
    public static long Count(ReadOnlySpan<byte> data, int width, long rows, FaxCoding coding, bool reversedBits, out string? error)
    {
        var bits = new Bits(data, reversedBits);
        long held = 0;
        Outcome outcome = Outcome.DataEnds;
        if (coding == FaxCoding.T6)
        {
            held = CountTwoDimensional(ref bits, width, rows, out outcome);
        }
        else
        {
            while (held < rows)
            {
                // Modified Huffman pads each row to a byte; an EOL code there is not Modified Huffman's, but read as T.4's.
                if (coding == FaxCoding.ModifiedHuffman) bits.AlignToByte();
                if (!bits.SkipEols()) break;
                outcome = OneDimensionalRow(ref bits, width);
                if (outcome != Outcome.Whole) break;
                held++;
            }
        }
        string name = Name(coding);
        error = outcome switch
        {
            Outcome.NoCode => $"bits that start no {name} code",
            Outcome.EolInRow => "an end-of-line code inside a row",
            Outcome.TooLong => $"a row whose runs add up to more than its {Plain.N(width)} pixels",
            Outcome.OutsideRow => "a vertical code that points outside the row",
            Outcome.Extension => "a T.6 extension code, which ImageSharp 2.1 does not decode",
            _ => null,
        };
        return held;
    }

    /// <summary>"Modified Huffman", "T.4" or "T.6", as reasons name the coding.</summary>
    public static string Name(FaxCoding coding) => coding switch
    {
        FaxCoding.ModifiedHuffman => "Modified Huffman",
        FaxCoding.T4OneDimensional => "T.4",
        _ => "T.6",
    };

    /// <summary>One row of T.4 one-dimensional codes: white and black runs in turn until they fill the width.</summary>
    private static Outcome OneDimensionalRow(ref Bits bits, int width)
    {
        int filled = 0;
        bool white = true;
        while (true)
        {
            Outcome outcome = Run(ref bits, white, width - filled, out int run);
            if (outcome != Outcome.Whole) return outcome;
            filled += run;
            if (filled == width) return Outcome.Whole;
            white = !white;
        }
    }

    /// <summary>One run: make-up codes, then a terminating code; <paramref name="room"/> is what is left of the row.</summary>
    private static Outcome Run(ref Bits bits, bool white, int room, out int run)
    {
        int[] table = white ? FaxCodes.White : FaxCodes.Black;
        run = 0;
        while (true)
        {
            int entry = table[bits.Peek(FaxCodes.LookupBits)];
            if (entry == 0)
            {
                int zeros = bits.LeadingZeros();
                if (zeros >= bits.Buffered) return bits.Exhausted ? Outcome.DataEnds : Outcome.EolInRow; // fill, or the data's end, inside a row
                if (zeros >= EolZeros) return Outcome.EolInRow;
                return bits.Buffered < FaxCodes.LookupBits ? Outcome.DataEnds : Outcome.NoCode;
            }
            int length = entry >> 16, part = entry & 0xFFFF;
            if (length > bits.Buffered) return Outcome.DataEnds; // the data ends inside the code
            bits.Skip(length);
            run += part;
            if (run > room) return Outcome.TooLong;
            if (part < FaxCodes.MakeUpStart) return Outcome.Whole;
        }
    }

    /// <summary>T.6 rows: each row's changing elements against the row above's (the first row's reference is white).</summary>
    private static long CountTwoDimensional(ref Bits bits, int width, long rows, out Outcome outcome)
    {
        // A row holds at most width changing elements (kept strictly increasing), and each costs at least one bit.
        int capacity = (int)Math.Min(width, Math.Min(bits.TotalBits, int.MaxValue - 8)) + 2;
        int[] reference = ArrayPool<int>.Shared.Rent(capacity), coding = ArrayPool<int>.Shared.Rent(capacity);
        try
        {
            int referenceCount = 0;
            long held = 0;
            outcome = Outcome.DataEnds;
            while (held < rows)
            {
                // An EOL code where a row starts is the end of the data (EOFB); ImageSharp fills the missing rows white.
                if (bits.AtEndOrEol()) break;
                outcome = TwoDimensionalRow(ref bits, width, reference.AsSpan(0, referenceCount), coding, out int codingCount);
                if (outcome != Outcome.Whole) break;
                (reference, coding) = (coding, reference);
                referenceCount = codingCount;
                held++;
            }
            return held;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(reference);
            ArrayPool<int>.Shared.Return(coding);
        }
    }

    /// <summary>
    /// One T.6 row. Changing elements are the positions where the colour changes (an even index turns to black);
    /// a0 is where the row is coded to (-1 before its first pixel), b1 the first change on the reference row after a0
    /// that turns to the colour opposite a0's, b2 the next.
    /// </summary>
    private static Outcome TwoDimensionalRow(ref Bits bits, int width, ReadOnlySpan<int> reference, Span<int> changes, out int count)
    {
        count = 0;
        int a0 = -1, b = 0;
        bool white = true;
        while (a0 < width)
        {
            // The reference pointer moves back at most over the three pixels a vertical code can step left.
            while (b > 0 && reference[b - 1] > a0) b--;
            while (b < reference.Length && (reference[b] <= a0 || ((b & 1) == 0) != white)) b++;
            int b1 = b < reference.Length ? reference[b] : width, b2 = b + 1 < reference.Length ? reference[b + 1] : width;
            uint peek = bits.Peek(7);
            int length, shift = 0;
            bool pass = false, horizontal = false;
            if (peek >= 0b1000000) length = 1;
            else if (peek >= 0b0110000) (length, shift) = (3, 1);
            else if (peek >= 0b0100000) (length, shift) = (3, -1);
            else if (peek >= 0b0010000) (length, horizontal) = (3, true);
            else if (peek >= 0b0001000) (length, pass) = (4, true);
            else if (peek >= 0b0000110) (length, shift) = (6, 2);
            else if (peek >= 0b0000100) (length, shift) = (6, -2);
            else if (peek == 0b0000011) (length, shift) = (7, 3);
            else if (peek == 0b0000010) (length, shift) = (7, -3);
            else if (bits.Buffered < 7) return Outcome.DataEnds;
            else if (peek == 0b0000001) return Outcome.Extension;
            else if (bits.LeadingZeros() >= bits.Buffered && bits.Exhausted) return Outcome.DataEnds; // padding, then the end
            else return bits.LeadingZeros() >= EolZeros ? Outcome.EolInRow : Outcome.NoCode;
            if (length > bits.Buffered) return Outcome.DataEnds;
            bits.Skip(length);
            if (pass)
            {
                a0 = b2;
            }
            else if (horizontal)
            {
                int start = Math.Max(a0, 0);
                Outcome first = Run(ref bits, white, width - start, out int run1);
                if (first != Outcome.Whole) return first;
                Outcome second = Run(ref bits, !white, width - start - run1, out int run2);
                if (second != Outcome.Whole) return second;
                Change(changes, ref count, start + run1, width);
                Change(changes, ref count, start + run1 + run2, width);
                a0 = start + run1 + run2;
            }
            else
            {
                int a1 = b1 + shift;
                if (a1 < Math.Max(a0, 0) || a1 > width) return Outcome.OutsideRow;
                Change(changes, ref count, a1, width);
                a0 = a1;
                white = !white;
            }
        }
        return Outcome.Whole;
    }

    /// <summary>Records a change; one at the same place as the last cancels it (the colour turns twice, so not at all).</summary>
    private static void Change(Span<int> changes, ref int count, int at, int width)
    {
        if (at >= width) return;
        if (count > 0 && changes[count - 1] == at) count--;
        else changes[count++] = at;
    }

    /// <summary>The strip's bits, most significant first, each byte's bits reversed first for FillOrder 2.</summary>
    private ref struct Bits(ReadOnlySpan<byte> data, bool reversed)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int next;
        private ulong buffer; // the buffered bits at the top, zeros below them
        private int count;

        /// <summary>How many bits are buffered after the last <see cref="Peek"/> (fewer than asked only at the end of the data).</summary>
        public readonly int Buffered => count;

        public readonly bool Exhausted => next >= data.Length;

        public readonly long TotalBits => data.Length * 8L;

        /// <summary>The next <paramref name="n"/> bits (at most 32), zeros past the end of the data.</summary>
        public uint Peek(int n)
        {
            if (count < n) Fill();
            return (uint)(buffer >> (64 - n));
        }

        public void Skip(int n)
        {
            buffer <<= n;
            count -= n;
        }

        /// <summary>Zero bits at the front of the buffer (the buffer's size when all of it is zeros).</summary>
        public readonly int LeadingZeros() => Math.Min(BitOperations.LeadingZeroCount(buffer), count);

        public void AlignToByte() => Skip(count & 7);

        /// <summary>
        /// Skips EOL codes and the fill before them where a row starts; false when only zeros (padding) or nothing
        /// is left. Fewer than eleven zeros then a one start a code (no code has more than seven).
        /// </summary>
        public bool SkipEols()
        {
            while (true)
            {
                Fill();
                if (count == 0) return false;
                int zeros = LeadingZeros();
                if (zeros >= count)
                {
                    if (Exhausted) return false;
                    Skip(count - EolZeros); // a long fill: keep eleven zeros in case a one follows
                    continue;
                }
                if (zeros < EolZeros) return true;
                Skip(zeros + 1);
            }
        }

        /// <summary>True at the end of the data, or at zeros (padding) or an EOL code, where a T.6 row would start.</summary>
        public bool AtEndOrEol()
        {
            Fill();
            int zeros = LeadingZeros();
            return zeros >= count || zeros >= EolZeros;
        }

        private void Fill()
        {
            while (count <= 56 && next < data.Length)
            {
                byte b = data[next++];
                if (reversed) b = (byte)((b * 0x0202020202UL & 0x010884422010UL) % 1023);
                buffer |= (ulong)b << (56 - count);
                count += 8;
            }
        }
    }
}
