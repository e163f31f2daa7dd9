using System.Buffers.Binary;

namespace KMeansPS.Imaging.Webp;

/// <summary>
/// A lossy WebP whose alpha is a lossless stream of fewer than 8 bytes (an alpha plane of one or two values takes
/// about 4), which ImageSharp 2.1 fails on: its lossless bit reader loads the first 8 bytes at once and throws
/// IndexOutOfRangeException. libwebp reads such files. The copy ImageSharp is handed has the stream padded with zero
/// bytes to 8, the chunk and RIFF sizes set to match; the padding is never read, since the structure check
/// (<see cref="Integrity.Vp8LDataCheck"/>) has walked the stream to its end within its own bytes.
/// </summary>
internal static class ShortAlphaStream
{
    private const int ReaderBytes = 8;

    /// <summary>The file as it is, or a copy with a short lossless alpha stream padded.</summary>
    public static byte[] ForImageSharp(byte[] file)
    {
        if (file.Length < 12 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return file;
        foreach (RiffChunk chunk in new RiffChunks(file, 12))
        {
            int size = chunk.Payload.Length;
            // The ALPH header byte's low two bits: 1 is lossless compression; the stream follows that byte.
            if (chunk.Is("ALPH"u8) && size >= 1 && (chunk.Payload[0] & 3) == 1 && size - 1 < ReaderBytes)
                return Padded(file, chunk.Offset, size);
        }
        return file;
    }

    private static byte[] Padded(byte[] file, int chunk, int size)
    {
        int padded = 2 + ReaderBytes; // the header byte and at least 8 of stream, even so that no pad byte follows
        int after = chunk + 8 + size + (size & 1);
        byte[] copy = new byte[chunk + 8 + padded + Math.Max(0, file.Length - after)];
        file.AsSpan(0, chunk + 8 + size).CopyTo(copy);
        if (after < file.Length) file.AsSpan(after).CopyTo(copy.AsSpan(chunk + 8 + padded));
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(chunk + 4), (uint)padded);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), (uint)(copy.Length - 8));
        return copy;
    }
}
