using System.Buffers.Binary;
using System.Text;
using KMeansPS.Imaging.Png;

namespace KMeansPS.Imaging.Provenance;

/// <summary>
/// Finds the <see cref="OutputMarker"/> in a PNG or GIF without decoding pixels: a PNG's chunks are walked up to the
/// first IDAT (the encoder writes the marker before it), a GIF's extension blocks up to the first image. Reads a few
/// hundred bytes of a marked file; anything else (another format, a damaged file, a tEXt chunk of another keyword or
/// with a bad CRC) is simply "no marker".
/// </summary>
internal static class OutputMarkerReader
{
    private static ReadOnlySpan<byte> GifSignature => "GIF8"u8;

    /// <summary>The marker of the file at <paramref name="path"/>, or null. I/O errors other than a missing file are thrown.</summary>
    public static MarkedFile? Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Only a regular file can be an output of ours: opening a pipe to read would wait for a writer forever.
        if (IO.FileIdentity.TryGet(path, out IO.FileIdentity identity) && identity.Kind != IO.FileKind.Regular) return null;
        FileStream stream;
        try
        {
            stream = IO.RegularFileReader.Open(path, FileShare.ReadWrite | FileShare.Delete, 4096);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IO.SpecialFileException)
        {
            return null;
        }
        using (stream)
        {
            return Read(stream);
        }
    }

    /// <summary>The marker of the file in <paramref name="stream"/> (read from its start), or null.</summary>
    public static MarkedFile? Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[8];
        if (!ReadExactly(stream, head)) return null;
        bool png = head.SequenceEqual(PalettePngEncoder.Signature);
        MarkedFile? marked = png ? ReadPng(stream) : head[..4].SequenceEqual(GifSignature) ? ReadGif(stream, head) : null;
        return marked is not null && stream.CanSeek ? marked with { Complete = EndsWell(stream, png) } : marked;
    }

    // The IEND chunk as the encoder writes it (length 0, type, CRC), or a GIF's trailer byte, at the very end.
    private static ReadOnlySpan<byte> PngEnd => [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    private static bool EndsWell(Stream stream, bool png)
    {
        int need = png ? PngEnd.Length : 1;
        if (stream.Length < need + 8) return false;
        stream.Seek(-need, SeekOrigin.End);
        Span<byte> tail = stackalloc byte[12];
        if (!ReadExactly(stream, tail[..need])) return false;
        return png ? tail[..need].SequenceEqual(PngEnd) : tail[0] == 0x3B;
    }

    private static MarkedFile? ReadPng(Stream stream)
    {
        Span<byte> header = stackalloc byte[8];
        int width = 0, height = 0;
        for (int chunk = 0; chunk < 64; chunk++)
        {
            if (!ReadExactly(stream, header)) return null;
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            if (length > int.MaxValue || type is PngChunkType.IDAT or PngChunkType.IEND) return null;
            if (type == PngChunkType.IHDR || (type == PngChunkType.tEXt && length <= OutputMarker.Keyword.Length + 1 + OutputMarker.MaxTextLength))
            {
                byte[] data = new byte[length + 4];
                if (!ReadExactly(stream, data)) return null;
                ReadOnlySpan<byte> body = data.AsSpan(0, (int)length);
                uint crc = Crc32.Append(Crc32.Compute(header[4..]), body);
                if (crc != BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan((int)length))) return null;
                if (type == PngChunkType.IHDR)
                {
                    if (length < 8) return null;
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                }
                else if (body.Length > OutputMarker.Keyword.Length && body[OutputMarker.Keyword.Length] == 0
                         && body[..OutputMarker.Keyword.Length].SequenceEqual(Encoding.ASCII.GetBytes(OutputMarker.Keyword)))
                {
                    string text = Encoding.Latin1.GetString(body[(OutputMarker.Keyword.Length + 1)..]);
                    if (Marked(text, width, height) is { } marked) return marked; // else a note: the marker may follow
                }
            }
            else
            {
                if (!Skip(stream, (long)length + 4)) return null;
            }
        }
        return null;
    }

    /// <summary>
    /// The text under the keyword as a marker, or null when it is not one: a marker this reader parses, or any text in
    /// the shape every version has ("v=N;" as version 1, "N;" from version 2), so a later version's outputs are still
    /// the module's own. Other text under the keyword ("hello") is a person's note, and the file is an ordinary input.
    /// </summary>
    private static MarkedFile? Marked(string text, int width, int height)
    {
        OutputMarker? marker = OutputMarker.Parse(text);
        return marker is not null || HasVersionPrefix(text) ? new MarkedFile(text, marker, width, height) : null;
    }

    private static bool HasVersionPrefix(string text)
    {
        int start = text.StartsWith("v=", StringComparison.Ordinal) ? 2 : 0, end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return end > start && end < text.Length && text[end] == ';';
    }

    private static MarkedFile? ReadGif(Stream stream, ReadOnlySpan<byte> head)
    {
        // head: "GIF89a" and the first two bytes of the logical screen descriptor (width).
        Span<byte> screen = stackalloc byte[5];
        if (!ReadExactly(stream, screen)) return null;
        int width = BinaryPrimitives.ReadUInt16LittleEndian(head[6..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(screen);
        byte flags = screen[2];
        if ((flags & 0x80) != 0 && !Skip(stream, 3L << ((flags & 7) + 1))) return null;
        for (int block = 0; block < 64; block++)
        {
            int introducer = stream.ReadByte();
            if (introducer != 0x21) return null; // an image (0x2C), the trailer or damage: no marker before the pixels
            int label = stream.ReadByte();
            if (label < 0) return null;
            if (label == 0xFE)
            {
                byte[]? comment = ReadSubBlocks(stream, OutputMarker.MaxTextLength + OutputMarker.GifCommentPrefix.Length);
                if (comment is null) return null;
                string text = Encoding.Latin1.GetString(comment);
                if (text.StartsWith(OutputMarker.GifCommentPrefix, StringComparison.Ordinal))
                {
                    text = text[OutputMarker.GifCommentPrefix.Length..];
                    if (Marked(text, width, height) is { } marked) return marked; // else a note: the marker may follow
                }
            }
            else if (ReadSubBlocks(stream, 0) is null)
            {
                return null;
            }
        }
        return null;
    }

    // The data of a run of sub-blocks, up to limit bytes kept (the rest skipped); null at the end of the stream.
    private static byte[]? ReadSubBlocks(Stream stream, int limit)
    {
        using var kept = new MemoryStream();
        Span<byte> block = stackalloc byte[255];
        while (true)
        {
            int size = stream.ReadByte();
            if (size < 0) return null;
            if (size == 0) return kept.ToArray();
            if (!ReadExactly(stream, block[..size])) return null;
            int room = (int)Math.Max(0, limit - kept.Length);
            kept.Write(block[..Math.Min(size, room)]);
        }
    }

    private static bool Skip(Stream stream, long count)
    {
        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length) return false;
            stream.Seek(count, SeekOrigin.Current);
            return true;
        }
        Span<byte> sink = stackalloc byte[512];
        while (count > 0)
        {
            int n = stream.Read(sink[..(int)Math.Min(sink.Length, count)]);
            if (n == 0) return false;
            count -= n;
        }
        return true;
    }

    private static bool ReadExactly(Stream stream, Span<byte> buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
}
