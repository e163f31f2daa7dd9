namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Redraws the blocks of a raw deflate stream made by the runtime's zlib: the same tokens (its LZ77 parse, so the
/// same bytes out), new block boundaries (<see cref="DeflateBlockSplitter"/>) and each block's own optimal Huffman
/// codes. Returns the original when the result would not be smaller, so a stream never grows. Deterministic: the
/// result depends only on the input stream.
/// </summary>
internal static class DeflateRepacker
{
    /// <summary>
    /// <paramref name="deflate"/> (raw deflate of <paramref name="raw"/>) with its blocks redrawn, or itself if that is
    /// no smaller. <paramref name="final"/>: the stream ends with a final block; otherwise it ends, as a band of a
    /// larger stream, with a sync flush (an empty stored block, byte-aligned), and so does the result.
    /// </summary>
    public static byte[] Repack(byte[] deflate, ReadOnlySpan<byte> raw, bool final)
    {
        int[] tokens;
        int count;
        long rawLength;
        try
        {
            (tokens, count, rawLength) = DeflateTokenReader.Read(deflate);
        }
        catch (InvalidDataException)
        {
            return deflate; // not ours to mend; the stream goes out as the compressor made it
        }
        try
        {
            if (rawLength != raw.Length || count == 0) return deflate;
            var coder = new DeflateBlockCoder();
            ReadOnlySpan<int> all = tokens.AsSpan(0, count);
            int[] starts = DeflateBlockSplitter.Split(all);
            var writer = new DeflateBitWriter(deflate.Length + 64);
            int rawStart = 0;
            for (int b = 0; b + 1 < starts.Length; b++)
            {
                ReadOnlySpan<int> block = all[starts[b]..starts[b + 1]];
                int rawEnd = rawStart;
                foreach (int token in block) rawEnd += token < 256 ? 1 : token & 511;
                (_, DeflateBlockCoder.Kind kind) = coder.Measure(block, rawEnd - rawStart);
                coder.Write(writer, block, raw[rawStart..rawEnd], kind, final && b + 2 == starts.Length);
                if (writer.BitCount > (long)deflate.Length * 8) return deflate;
                rawStart = rawEnd;
            }
            byte[] result = Finish(writer, final);
            // The redrawn stream is checked by the runtime's own inflater before it replaces zlib's: a fault here
            // costs bytes, never a damaged file (about a tenth of the redraw's time).
            return result.Length < deflate.Length && InflatesTo(result, final, raw) ? result : deflate;
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(tokens);
        }
    }

    private static byte[] Finish(DeflateBitWriter writer, bool final)
    {
        if (!final)
        {
            writer.Write(0, 3); // a non-final stored block of no bytes: the sync flush's byte boundary
            writer.AlignToByte();
            writer.Write(0x0000, 16);
            writer.Write(0xFFFF, 16);
        }
        writer.AlignToByte();
        return writer.ToArray();
    }

    /// <summary>
    /// Whether the runtime's inflater turns <paramref name="stream"/> into exactly <paramref name="raw"/>. A band ending
    /// with a sync flush gets a final empty fixed block appended (bytes 03 00) so that it is a whole stream.
    /// </summary>
    internal static bool InflatesTo(byte[] stream, bool final, ReadOnlySpan<byte> raw)
    {
        byte[] whole = final ? stream : [.. stream, 0x03, 0x00];
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var inflater = new System.IO.Compression.DeflateStream(new MemoryStream(whole), System.IO.Compression.CompressionMode.Decompress);
            int at = 0;
            while (true)
            {
                int read = inflater.Read(buffer, 0, buffer.Length);
                if (read == 0) return at == raw.Length;
                if (at + read > raw.Length || !buffer.AsSpan(0, read).SequenceEqual(raw.Slice(at, read))) return false;
                at += read;
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
