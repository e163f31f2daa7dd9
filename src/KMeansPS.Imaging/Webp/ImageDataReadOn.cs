using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Webp;

/// <summary>
/// A still WebP whose image chunk (VP8 or VP8L) says less than its data: libwebp takes the chunk's size only for its
/// checks (a VP8 first partition must be shorter than it) and reads the image data on to the end of its input (the file's end, past the RIFF's), so dwebp
/// decodes such a file; the structure check and ImageSharp 2.1 stopped where the size says and refused it (or decoded
/// other pixels). It is told by what follows the chunk, bytes that are no whole chunk or an odd size's pad byte that is
/// not zero, and by data that does not hold its image within the stated size (where it does, such bytes are a tail
/// libwebp's decode never needs, <see cref="UnreadTail"/>). The structure check
/// then walks the data to the file's end, and the copy ImageSharp is handed has the chunk's size set to match.
/// </summary>
internal static class ImageDataReadOn
{
    /// <summary>The image chunk: where its header starts, its name, the size it states, and where libwebp's reading ends.</summary>
    internal readonly record struct Extent(int Offset, string Name, uint Stated, int End)
    {
        /// <summary>Where its data starts.</summary>
        public int PayloadOffset => Offset + 8;
    }

    /// <summary>
    /// The image chunk libwebp reads past its stated size, or null when the file is no still WebP, or the chunk holds its
    /// image within that size, or whole chunks (or zeros) follow it. Walking data of more than <paramref name="maxPixels"/>
    /// pixels is left to the size checks, and such data is taken as whole here.
    /// </summary>
    public static Extent? Find(ReadOnlySpan<byte> file, long maxPixels)
    {
        if (file.Length < 12 || !file[8..12].SequenceEqual("WEBP"u8)) return null;
        int end = (int)Math.Min(RiffChunks.DeclaredEnd(file), file.Length);
        RiffChunks chunks = RiffChunks.InRiff(file);
        while (chunks.MoveNext())
        {
            RiffChunk chunk = chunks.Current;
            if (chunk.Offset == 12 && chunk.Is("VP8X"u8) && chunk.Payload.Length >= 1 && (chunk.Payload[0] & 0x02) != 0) return null; // an animation
            if (chunk.IsCut) return null;
            if (!chunk.IsImage) continue;
            if (!NoWholeChunksAfter(file[..end], chunk.End) && !DataInPadByte(file[..end], chunk)) return null;
            if (HoldsItsImage(chunk, maxPixels)) return null;
            // libwebp's input is the whole file: bytes after the RIFF's end are read too.
            return new Extent(chunk.Offset, Plain.FourCc(chunk.FourCc).TrimEnd(), chunk.Size, file.Length);
        }
        return null;
    }

    /// <summary>
    /// The file as it is, or a copy with the image chunk's size set to what libwebp reads (a pad byte added after an odd
    /// size) and the RIFF size to match, bytes after the RIFF's end included (libwebp reads them too).
    /// </summary>
    public static byte[] ForImageSharp(byte[] file, Extent? extent)
    {
        if (extent is not { } read) return file;
        int size = read.End - read.PayloadOffset;
        byte[] copy = new byte[read.End + (size & 1)];
        file.AsSpan(0, read.End).CopyTo(copy);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(read.Offset + 4), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), (uint)(copy.Length - 8));
        return copy;
    }

    /// <summary>
    /// The file as it is, or a copy whose still image chunk of an odd size takes its pad byte as data (size one more, even):
    /// libwebp reads that byte as image data, and ImageSharp 2.1 fails on an extended file whose odd-sized image chunk is
    /// followed by its pad byte alone ("Invalid Webp data."). A zero pad byte read as data changes no pixel.
    /// </summary>
    public static byte[] PadByteAsData(byte[] file)
    {
        if (file.Length < 12 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return file;
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
        {
            if (chunk.Offset == 12 && chunk.Is("VP8X"u8) && chunk.Payload.Length >= 1 && (chunk.Payload[0] & 0x02) != 0) return file;
            if (chunk.IsCut) return file;
            if (!chunk.IsImage) continue;
            if ((chunk.Size & 1) == 0 || chunk.End != chunk.PayloadOffset + chunk.Size + 1L) return file;
            byte[] copy = [.. file];
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(chunk.Offset + 4), chunk.Size + 1);
            return copy;
        }
        return file;
    }

    /// <summary>What the decode tells of such a file; null when there is nothing to tell.</summary>
    public static string? Warning(Extent? extent) => extent is { } read
        ? $"The WebP's {read.Name} chunk says {Plain.Bytes(read.Stated)} but its image data runs on past that; libwebp reads it on to the file's end "
          + $"({Plain.Bytes(read.End - read.PayloadOffset)}), and so does the decode: the pixels are those dwebp shows."
        : null;

    /// <summary>Bytes from <paramref name="at"/> to the end are no run of whole chunks (a cut chunk, bytes that name none, a short rest, zeros).</summary>
    private static bool NoWholeChunksAfter(ReadOnlySpan<byte> riff, int at)
    {
        if (at >= riff.Length) return false;
        var after = new RiffChunks(riff, at);
        while (after.MoveNext())
            if (after.Current.IsCut || !after.Current.HasChunkName) return true;
        return after.Rest < riff.Length;
    }

    /// <summary>An odd size's pad byte is there and not zero: data, perhaps, which libwebp reads (ImageSharp reads zeros past the size).</summary>
    private static bool DataInPadByte(ReadOnlySpan<byte> riff, RiffChunk chunk)
    {
        long pad = chunk.PayloadOffset + (long)chunk.Size;
        return (chunk.Size & 1) == 1 && pad < riff.Length && riff[(int)pad] != 0;
    }

    /// <summary>The chunk's data, as its size states it, holds the image its header describes (libwebp's walk would not run past it).</summary>
    private static bool HoldsItsImage(RiffChunk chunk, long maxPixels)
    {
        ReadOnlySpan<byte> data = chunk.Payload;
        if (chunk.Is("VP8L"u8)) return data.Length >= 5 && Vp8LDataCheck.Problem(data, maxPixels) is null;
        if (data.Length < 10) return false;
        int firstPartition = (data[0] | data[1] << 8 | data[2] << 16) >> 5;
        return firstPartition <= data.Length - 10 && Vp8DataCheck.Problem(data, maxPixels) is null;
    }
}
