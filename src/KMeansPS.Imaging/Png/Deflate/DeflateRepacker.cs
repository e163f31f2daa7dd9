using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Redraws the blocks of a raw deflate stream made by the runtime's zlib: the same tokens (its LZ77 parse, so the
/// same bytes out), new block boundaries (<see cref="DeflateBlockSplitter"/>) and each block's own optimal Huffman
/// codes. Returns the original when the result would not be smaller, or when the runtime's inflater does not give
/// back the scanlines from it, so a stream never grows and a fault costs bytes, never a damaged file. Deterministic:
/// the result depends only on the input stream. Its loops are <c>AggressiveOptimization</c> although scalar: they run a
/// few times per image over up to millions of tokens, so they would never tier up from ReadyToRun code, which cannot
/// inline across assemblies (span and bit helpers): warm, china.jpg at K = 16 took 15-30 ms longer with them
/// precompiled, against about 6 ms for the redraw fully optimised.
/// </summary>
internal static class DeflateRepacker
{
    /// <summary>
    /// Tokens read and redrawn at a time (1 MiB): a small image's whole stream, a large image's band in pieces,
    /// so memory stays bounded whatever the image (each piece ends a block, a few bytes per piece).
    /// </summary>
    internal const int PieceTokens = 1 << 18;

    /// <summary>
    /// <paramref name="deflate"/> (raw deflate of <paramref name="raw"/>) with its blocks redrawn, or itself if that is
    /// no smaller. <paramref name="final"/>: the stream ends with a final block; otherwise it ends, as a band of a
    /// larger stream, with a sync flush (an empty stored block, byte-aligned), and so does the result.
    /// </summary>
    public static byte[] Repack(byte[] deflate, ReadOnlySpan<byte> raw, bool final) =>
        Repack(deflate, deflate.Length, raw, final, PieceTokens) ?? deflate;

    /// <summary>
    /// The first <paramref name="length"/> bytes of <paramref name="buffer"/> redrawn, or null if that is no smaller
    /// (the caller keeps the stream it has, so a large band's stream is not copied only to be dropped), reading
    /// <paramref name="pieceTokens"/> tokens at a time.
    /// </summary>
    internal static byte[]? Repack(byte[] buffer, int length, ReadOnlySpan<byte> raw, bool final, int pieceTokens = PieceTokens)
    {
        // The piece and the output buffer come from the buffer cache, the output's length rounded up to whole MiB, so
        // the bands of a large image reuse them: fresh ones for each of its 16 bands were garbage enough to add 140 MB
        // to the peak of an 8000 x 8000 noise image (perf/memory-bounds.ps1).
        uint[] piece = LargeBufferCache.Rent<uint>(Math.Max(1, Math.Min(pieceTokens, raw.Length))); // a token stands for a byte at least
        byte[] output = LargeBufferCache.Rent<byte>(RoundUp(length + 64));
        var writer = new DeflateBitWriter(output);
        try
        {
            return Redraw(new DeflateTokenReader(buffer, length), length, raw, final, piece, writer);
        }
        finally
        {
            LargeBufferCache.Return(piece);
            LargeBufferCache.Return(writer.Buffer);
        }
    }

    /// <summary>
    /// <paramref name="tokens"/> (a parse of <paramref name="raw"/>, such as <see cref="NearOptimalParser"/>'s) as a raw
    /// deflate stream with blocks drawn as <see cref="Repack(byte[], ReadOnlySpan{byte}, bool)"/> draws them, or null
    /// if it would not be smaller than <paramref name="limit"/> bytes or the runtime's inflater does not give back
    /// <paramref name="raw"/> from it. <paramref name="final"/> as for <see cref="Repack(byte[], ReadOnlySpan{byte}, bool)"/>.
    /// </summary>
    internal static byte[]? Encode(uint[] tokens, ReadOnlySpan<byte> raw, bool final, int limit, int pieceTokens = PieceTokens)
    {
        uint[] piece = LargeBufferCache.Rent<uint>(Math.Max(1, Math.Min(pieceTokens, tokens.Length)));
        byte[] output = LargeBufferCache.Rent<byte>(RoundUp(limit + 64));
        var writer = new DeflateBitWriter(output);
        try
        {
            return Redraw(new TokenArraySource(tokens), limit, raw, final, piece, writer);
        }
        finally
        {
            LargeBufferCache.Return(piece);
            LargeBufferCache.Return(writer.Buffer);
        }
    }

    private static int RoundUp(int length) => length < (1 << 20) ? length : (int)Math.Min(Array.MaxLength, ((long)length + (1 << 20) - 1) & ~((1L << 20) - 1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[]? Redraw<TSource>(TSource reader, int length, ReadOnlySpan<byte> raw, bool final, uint[] piece, DeflateBitWriter writer)
        where TSource : IDeflateTokenSource
    {
        var coder = new DeflateBlockCoder();
        int rawStart = 0;
        bool finalWritten = false;
        try
        {
            while (true)
            {
                int count = reader.ReadTokens(piece);
                if (count == 0) break;
                bool lastPiece = reader.Finished;
                ReadOnlySpan<uint> tokens = piece.AsSpan(0, count);
                int[] starts = DeflateBlockSplitter.Split(tokens);
                for (int b = 0; b + 1 < starts.Length; b++)
                {
                    ReadOnlySpan<uint> block = tokens[starts[b]..starts[b + 1]];
                    long rawEnd = rawStart;
                    foreach (uint token in block) rawEnd += DeflateToken.RawLength(token);
                    if (rawEnd > raw.Length) return null; // not the bytes it stands for
                    (long bits, DeflateBlockCoder.Kind kind) = coder.Measure(block, rawEnd - rawStart);
                    // Given up before a block would pass zlib's size (a measure is exact, a stored block's an upper
                    // bound), so a losing redraw writes nothing more and never outgrows its buffer.
                    if (writer.BitCount + bits > (long)length * 8) return null;
                    bool last = final && lastPiece && b + 2 == starts.Length;
                    coder.Write(writer, block, raw[rawStart..(int)rawEnd], kind, last);
                    finalWritten |= last;
                    rawStart = (int)rawEnd;
                }
                if (lastPiece) break;
            }
        }
        catch (InvalidDataException)
        {
            return null; // not ours to mend; the stream goes out as the compressor made it
        }
        if (rawStart == 0 || reader.RawLength != raw.Length) return null;
        if (final && !finalWritten) writer.Write(0b011, 10); // a final fixed block of nothing but its end (7 zero bits)
        if (!final)
        {
            writer.Write(0, 3); // a non-final stored block of no bytes: the sync flush's byte boundary
            writer.AlignToByte();
            writer.Write(0x0000, 16);
            writer.Write(0xFFFF, 16);
        }
        writer.AlignToByte();
        int redrawn = writer.Length;
        if (redrawn >= length) return null;
        // The redrawn stream is checked by the runtime's own inflater before it replaces zlib's. A band gets a final
        // empty fixed block (03 00) for the check, so that it is a whole stream; the result leaves it out.
        if (!final) writer.WriteBytes([0x03, 0x00]);
        if (!InflatesTo(writer.Buffer.AsSpan(0, writer.Length), raw)) return null;
        return writer.Buffer.AsSpan(0, redrawn).ToArray();
    }

    /// <summary>Whether the runtime's inflater turns the whole deflate stream <paramref name="stream"/> into exactly <paramref name="raw"/>.</summary>
    internal static unsafe bool InflatesTo(ReadOnlySpan<byte> stream, ReadOnlySpan<byte> raw)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            fixed (byte* source = stream)
            {
                using var input = new UnmanagedMemoryStream(source, stream.Length);
                using var inflater = new System.IO.Compression.DeflateStream(input, System.IO.Compression.CompressionMode.Decompress);
                int at = 0;
                while (true)
                {
                    int read = inflater.Read(buffer, 0, buffer.Length);
                    if (read == 0) return at == raw.Length;
                    if (at + read > raw.Length || !buffer.AsSpan(0, read).SequenceEqual(raw.Slice(at, read))) return false;
                    at += read;
                }
            }
        }
        catch (InvalidDataException)
        {
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
