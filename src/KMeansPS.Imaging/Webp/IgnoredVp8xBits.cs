using System.Buffers.Binary;

namespace KMeansPS.Imaging.Webp;

/// <summary>
/// VP8X header bits that libwebp ignores and ImageSharp 2.1 refuses or fails on: the two reserved bits at the top of
/// the flags byte and the three reserved bytes after it ("reserved bytes should be zero"), and the alpha flag of a
/// lossy image that holds no ALPH chunk, which libwebp takes for a hint and shows opaque, where ImageSharp throws
/// NullReferenceException. The copy ImageSharp is handed has those bits cleared, so it reads the file as libwebp does.
/// </summary>
internal static class IgnoredVp8xBits
{
    private const byte ReservedFlagBits = 0xC0, AlphaFlag = 0x10;

    /// <summary>The file as it is, or a copy with those bits cleared.</summary>
    public static byte[] ForImageSharp(byte[] file)
    {
        if (file.Length < 30 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8) || !file.AsSpan(12, 4).SequenceEqual("VP8X"u8)) return file;
        const int flags = 20;
        bool lossy = false, alphaChunk = false;
        for (int p = 12; file.Length - p >= 8;)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p + 4));
            lossy |= file.AsSpan(p, 4).SequenceEqual("VP8 "u8);
            alphaChunk |= file.AsSpan(p, 4).SequenceEqual("ALPH"u8);
            if (size > (uint)(file.Length - p - 8)) break;
            p += 8 + (int)size + (int)(size & 1);
        }
        byte cleared = (byte)(file[flags] & ~ReservedFlagBits & (lossy && !alphaChunk ? ~AlphaFlag : 0xFF));
        if (cleared == file[flags] && file[flags + 1] == 0 && file[flags + 2] == 0 && file[flags + 3] == 0) return file;
        byte[] copy = [.. file];
        copy[flags] = cleared;
        copy.AsSpan(flags + 1, 3).Clear();
        return copy;
    }
}
