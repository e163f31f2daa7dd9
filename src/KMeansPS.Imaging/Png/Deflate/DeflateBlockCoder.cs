using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// One deflate block of tokens (<see cref="DeflateTokenReader"/>'s form) at its exact size in bits, as whichever of
/// a dynamic-Huffman, fixed-Huffman or stored block is smallest, and writes it. Not thread-safe: one per thread.
/// </summary>
internal sealed class DeflateBlockCoder
{
    private const int MaxCodeBits = 15;
    private const int MaxCodeLengthBits = 7;
    private const int StoredMax = 65535;

    private readonly HuffmanCodeLengths huffman = new();
    private readonly int[] literalFrequencies = new int[DeflateSymbols.LiteralLengthCount];
    private readonly int[] distanceFrequencies = new int[DeflateSymbols.DistanceCount];
    // 288: the fixed code's canonical codes count its two unused length symbols (length 8), which shifts every 9-bit code.
    private readonly byte[] literalLengths = new byte[288];
    private readonly byte[] distanceLengths = new byte[DeflateSymbols.DistanceCount];
    private readonly int[] codeLengthFrequencies = new int[19];
    private readonly byte[] codeLengthLengths = new byte[19];
    private readonly byte[] codeLengthSymbols = new byte[DeflateSymbols.LiteralLengthCount + DeflateSymbols.DistanceCount];
    private readonly byte[] codeLengthExtras = new byte[DeflateSymbols.LiteralLengthCount + DeflateSymbols.DistanceCount];
    private readonly ushort[] literalCodes = new ushort[288];
    private readonly ushort[] distanceCodes = new ushort[DeflateSymbols.DistanceCount];
    private readonly ushort[] codeLengthCodes = new ushort[19];
    private int headerSymbols;
    private int hlit;
    private int hdist;
    private int hclen;

    /// <summary>The kind of block that a measure found smallest.</summary>
    public enum Kind { Stored, Fixed, Dynamic }

    /// <summary>
    /// The block of <paramref name="tokens"/> standing for <paramref name="rawLength"/> bytes: its size in bits
    /// (3 header bits included; a stored block counted as if it started on a byte boundary, plus 7 bits of padding at
    /// most) and its kind. Leaves the codes of that block ready for <see cref="Write"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (long Bits, Kind Kind) Measure(ReadOnlySpan<uint> tokens, long rawLength)
    {
        Array.Clear(literalFrequencies);
        Array.Clear(distanceFrequencies);
        long extraBits = 0;
        foreach (uint token in tokens)
        {
            int symbol = DeflateToken.LiteralLengthSymbol(token);
            literalFrequencies[symbol]++;
            if (DeflateToken.IsLiteral(token)) continue;
            int distanceSymbol = DeflateToken.DistanceSymbol(token);
            distanceFrequencies[distanceSymbol]++;
            extraBits += DeflateSymbols.LengthExtra[symbol - 257] + DeflateSymbols.DistanceExtra[distanceSymbol];
        }
        return MeasureCounted(extraBits, rawLength);
    }

    private (long Bits, Kind Kind) MeasureCounted(long extraBits, long rawLength)
    {
        literalFrequencies[DeflateSymbols.EndOfBlock] = 1;

        long fixedBits = 3 + extraBits;
        for (int s = 0; s < literalFrequencies.Length; s++) fixedBits += (long)literalFrequencies[s] * DeflateSymbols.FixedLiteralLength(s);
        foreach (int f in distanceFrequencies) fixedBits += 5L * f;

        long storedBits = 7 + (Math.Max(1, (rawLength + StoredMax - 1) / StoredMax) * 5 + rawLength) * 8;

        long dynamicBits = MeasureDynamic() + extraBits;

        if (dynamicBits <= fixedBits && dynamicBits <= storedBits) return (dynamicBits, Kind.Dynamic);
        if (fixedBits <= storedBits) return (fixedBits, Kind.Fixed);
        return (storedBits, Kind.Stored);
    }

    /// <summary>
    /// Writes the block of <paramref name="tokens"/> (raw bytes <paramref name="raw"/>) as <paramref name="kind"/>;
    /// call right after <see cref="Measure"/> of the same tokens.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(DeflateBitWriter writer, ReadOnlySpan<uint> tokens, ReadOnlySpan<byte> raw, Kind kind, bool final)
    {
        uint last = final ? 1u : 0u;
        if (kind == Kind.Stored)
        {
            int at = 0;
            do
            {
                int length = Math.Min(StoredMax, raw.Length - at);
                bool lastPiece = at + length == raw.Length;
                writer.Write((lastPiece ? last : 0u) | (0u << 1), 3);
                writer.AlignToByte();
                writer.Write((uint)length, 16);
                writer.Write((uint)length ^ 0xFFFF, 16);
                writer.AlignToByte();
                writer.WriteBytes(raw.Slice(at, length));
                at += length;
            }
            while (at < raw.Length);
            return;
        }
        if (kind == Kind.Fixed)
        {
            writer.Write(last | (1u << 1), 3);
            for (int s = 0; s < literalLengths.Length; s++) literalLengths[s] = DeflateSymbols.FixedLiteralLength(s);
            Array.Fill(distanceLengths, (byte)5);
        }
        else
        {
            writer.Write(last | (2u << 1), 3);
            writer.Write((uint)(hlit - 257), 5);
            writer.Write((uint)(hdist - 1), 5);
            writer.Write((uint)(hclen - 4), 4);
            for (int i = 0; i < hclen; i++) writer.Write(codeLengthLengths[DeflateSymbols.CodeLengthOrder[i]], 3);
            Checked(DeflateSymbols.CanonicalCodes(codeLengthLengths, codeLengthCodes));
            for (int i = 0; i < headerSymbols; i++)
            {
                int symbol = codeLengthSymbols[i];
                writer.Write(codeLengthCodes[symbol], codeLengthLengths[symbol]);
                if (symbol >= 16) writer.Write(codeLengthExtras[i], symbol == 16 ? 2 : symbol == 17 ? 3 : 7);
            }
        }
        Checked(DeflateSymbols.CanonicalCodes(literalLengths, literalCodes));
        Checked(DeflateSymbols.CanonicalCodes(distanceLengths, distanceCodes));
        foreach (uint token in tokens)
        {
            int symbol = DeflateToken.LiteralLengthSymbol(token);
            writer.Write(literalCodes[symbol], literalLengths[symbol]);
            if (DeflateToken.IsLiteral(token)) continue;
            int lengthExtra = DeflateSymbols.LengthExtra[symbol - 257];
            if (lengthExtra > 0) writer.Write(DeflateToken.LengthExtraValue(token), lengthExtra);
            int distanceSymbol = DeflateToken.DistanceSymbol(token);
            writer.Write(distanceCodes[distanceSymbol], distanceLengths[distanceSymbol]);
            int distanceExtra = DeflateSymbols.DistanceExtra[distanceSymbol];
            if (distanceExtra > 0) writer.Write(DeflateToken.DistanceExtraValue(token), distanceExtra);
        }
        writer.Write(literalCodes[DeflateSymbols.EndOfBlock], literalLengths[DeflateSymbols.EndOfBlock]);
    }

    /// <summary>Package-merge and the fixed code always give lengths that are a code (the check is for debug builds).</summary>
    private static void Checked(bool isCode) => System.Diagnostics.Debug.Assert(isCode, "code lengths that are no code");

    /// <summary>Bits of a dynamic block but the extra bits: header, code lengths, symbols, end of block.</summary>
    private long MeasureDynamic()
    {
        // Complete codes only (some inflaters refuse an incomplete one): at least two symbols in each alphabet.
        Span<int> literalsForCode = stackalloc int[DeflateSymbols.LiteralLengthCount];
        literalFrequencies.CopyTo(literalsForCode);
        EnsureTwo(literalsForCode);
        Span<int> distancesForCode = stackalloc int[DeflateSymbols.DistanceCount];
        distanceFrequencies.CopyTo(distancesForCode);
        EnsureTwo(distancesForCode);
        Array.Clear(literalLengths); // 286 and 287 too, which a fixed block's Write set
        huffman.Compute(literalsForCode, MaxCodeBits, literalLengths);
        huffman.Compute(distancesForCode, MaxCodeBits, distanceLengths);

        long bits = 3;
        for (int s = 0; s < literalFrequencies.Length; s++) bits += (long)literalFrequencies[s] * literalLengths[s];
        for (int s = 0; s < distanceLengths.Length; s++) bits += (long)distanceFrequencies[s] * distanceLengths[s];

        hlit = 257;
        for (int s = literalLengths.Length - 1; s >= 257; s--)
            if (literalLengths[s] != 0) { hlit = s + 1; break; }
        hdist = 1;
        for (int s = distanceLengths.Length - 1; s >= 1; s--)
            if (distanceLengths[s] != 0) { hdist = s + 1; break; }

        Span<byte> all = stackalloc byte[DeflateSymbols.LiteralLengthCount + DeflateSymbols.DistanceCount];
        literalLengths.AsSpan(0, hlit).CopyTo(all);
        distanceLengths.AsSpan(0, hdist).CopyTo(all[hlit..]);
        RunLengths(all[..(hlit + hdist)]);
        EnsureTwo(codeLengthFrequencies);
        huffman.Compute(codeLengthFrequencies, MaxCodeLengthBits, codeLengthLengths);
        hclen = 19;
        while (hclen > 4 && codeLengthLengths[DeflateSymbols.CodeLengthOrder[hclen - 1]] == 0) hclen--;

        bits += 14 + 3 * hclen;
        for (int i = 0; i < headerSymbols; i++)
        {
            int symbol = codeLengthSymbols[i];
            bits += codeLengthLengths[symbol] + (symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0);
        }
        return bits;
    }

    /// <summary>The code lengths as code-length symbols: 16 repeats the last length 3-6 times, 17 and 18 run zeros.</summary>
    private void RunLengths(ReadOnlySpan<byte> lengths)
    {
        Array.Clear(codeLengthFrequencies);
        headerSymbols = 0;
        for (int i = 0; i < lengths.Length;)
        {
            byte value = lengths[i];
            int run = 1;
            while (i + run < lengths.Length && lengths[i + run] == value) run++;
            i += run;
            if (value == 0)
            {
                while (run >= 11)
                {
                    int n = Math.Min(run, 138);
                    Emit(18, n - 11);
                    run -= n;
                }
                if (run >= 3)
                {
                    Emit(17, run - 3);
                    run = 0;
                }
            }
            else
            {
                Emit(value, 0);
                run--;
                while (run >= 3)
                {
                    int n = Math.Min(run, 6);
                    Emit(16, n - 3);
                    run -= n;
                }
            }
            for (; run > 0; run--) Emit(value, 0);
        }
    }

    private void Emit(int symbol, int extra)
    {
        codeLengthSymbols[headerSymbols] = (byte)symbol;
        codeLengthExtras[headerSymbols++] = (byte)extra;
        codeLengthFrequencies[symbol]++;
    }

    /// <summary>Gives the first unused symbols a frequency of 1 until two are used (only for building the code).</summary>
    private static void EnsureTwo(Span<int> frequencies)
    {
        int used = 0;
        foreach (int f in frequencies)
            if (f > 0) used++;
        for (int s = 0; s < frequencies.Length && used < 2; s++)
        {
            if (frequencies[s] != 0) continue;
            frequencies[s] = 1;
            used++;
        }
    }
}
