using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using KMeansPS.Imaging.IO;

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
    /// A band deflated after its <paramref name="history"/> (the first <paramref name="length"/> bytes of
    /// <paramref name="buffer"/>: one whole raw deflate stream of the history followed by <paramref name="raw"/>) as the
    /// band's own blocks: the history's tokens left out (<see cref="PrimedTokenSource"/>), the band's matches free to
    /// reach back into the history, which the stream must follow when inflated. Null if the runtime's inflater, given
    /// the history first, does not give back <paramref name="raw"/> (the first <paramref name="rawLength"/> bytes), or,
    /// without a history, if it is not smaller than zlib's stream (which is then the band's own, as for
    /// <see cref="Repack(byte[], ReadOnlySpan{byte}, bool)"/>). <paramref name="final"/> as for that method.
    /// </summary>
    internal static byte[]? RepackPrimed(byte[] buffer, int length, ReadOnlySpan<byte> history, byte[] raw, int rawLength, bool final)
    {
        uint[] piece = LargeBufferCache.Rent<uint>(Math.Max(2, Math.Min(PieceTokens, history.Length + rawLength)));
        // With a history the band's redraw may be as large as zlib's stream of both and the history stored: refused,
        // the band would be deflated on its own, without the history, which is larger still. Without one, zlib's own
        // stream is the band's, and the redraw must beat it.
        int limit = history.IsEmpty ? length : length + history.Length + 64;
        byte[] output = LargeBufferCache.Rent<byte>(RoundUp(limit + 64));
        var writer = new DeflateBitWriter(output);
        try
        {
            var source = new PrimedTokenSource(new DeflateTokenReader(buffer, length), history.Length, raw);
            return Redraw(source, limit, raw.AsSpan(0, rawLength), final, piece, writer, history);
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
    private static byte[]? Redraw<TSource>(TSource reader, int length, ReadOnlySpan<byte> raw, bool final, uint[] piece, DeflateBitWriter writer,
        ReadOnlySpan<byte> history = default)
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
        if (!InflatesTo(history, writer.Buffer.AsSpan(0, writer.Length), raw)) return null;
        return writer.Buffer.AsSpan(0, redrawn).ToArray();
    }

    /// <summary>Whether the runtime's inflater turns the whole deflate stream <paramref name="stream"/> into exactly <paramref name="raw"/>.</summary>
    internal static bool InflatesTo(ReadOnlySpan<byte> stream, ReadOnlySpan<byte> raw) => InflatesTo(default, stream, raw);

    /// <summary>
    /// Whether the runtime's inflater, given <paramref name="history"/> as a stored block and then the deflate stream
    /// <paramref name="stream"/> (which may refer back into the history), gives exactly the history and then <paramref name="raw"/>.
    /// </summary>
    internal static unsafe bool InflatesTo(ReadOnlySpan<byte> history, ReadOnlySpan<byte> stream, ReadOnlySpan<byte> raw)
    {
        if (history.Length > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(history), history.Length, "One stored block's worth at most.");
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            // A non-final stored block of the history: header bits 000, then LEN and its complement, byte-aligned.
            byte[] head = history.IsEmpty ? [] : new byte[5 + history.Length];
            if (!history.IsEmpty)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(1), (ushort)history.Length);
                BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(3), (ushort)~history.Length);
                history.CopyTo(head.AsSpan(5));
            }
            fixed (byte* source = stream)
            {
                using var tail = new UnmanagedMemoryStream(source, stream.Length);
                using var input = new ConcatenatedStream(head, tail);
                using var inflater = new System.IO.Compression.DeflateStream(input, System.IO.Compression.CompressionMode.Decompress);
                int at = -history.Length; // negative while in the history
                while (true)
                {
                    int read = inflater.Read(buffer, 0, buffer.Length);
                    if (read == 0) return at == raw.Length;
                    ReadOnlySpan<byte> got = buffer.AsSpan(0, read);
                    if (at < 0)
                    {
                        int h = Math.Min(read, -at);
                        if (!got[..h].SequenceEqual(history.Slice(history.Length + at, h))) return false;
                        got = got[h..];
                        at += h;
                        if (got.IsEmpty) continue;
                    }
                    if (at + got.Length > raw.Length || !got.SequenceEqual(raw.Slice(at, got.Length))) return false;
                    at += got.Length;
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
