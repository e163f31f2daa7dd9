namespace KMeansPS.Imaging.Webp;

/// <summary>
/// VP8X header bits that libwebp ignores and ImageSharp 2.1 refuses or misreads: the two reserved bits at the top of
/// the flags byte and the three reserved bytes after it ("reserved bytes should be zero"), and the alpha flag of a lossy
/// image, where libwebp goes by the ALPH chunk before the VP8 chunk instead: with no such chunk it shows the image opaque
/// (ImageSharp throws NullReferenceException on the flag), with one it applies it (ImageSharp shows the image opaque
/// without the flag). The copy ImageSharp is handed has the reserved bits cleared and the alpha flag set as libwebp reads
/// the file.
/// </summary>
internal static class IgnoredVp8xBits
{
    private const byte ReservedFlagBits = 0xC0, AlphaFlag = 0x10;

    /// <summary>The file as it is, or a copy with those bits set as libwebp reads them.</summary>
    public static byte[] ForImageSharp(byte[] file)
    {
        if (file.Length < 30 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8) || !file.AsSpan(12, 4).SequenceEqual("VP8X"u8)) return file;
        const int flags = 20;
        bool lossy = false, alphaChunk = false;
        foreach (RiffChunk chunk in new RiffChunks(file, 12))
        {
            // The image chunk ends libwebp's search for ALPH.
            if (chunk.IsImage)
            {
                lossy = chunk.Is("VP8 "u8);
                break;
            }
            alphaChunk |= chunk.Is("ALPH"u8);
        }
        byte stated = (byte)(file[flags] & ~ReservedFlagBits);
        byte read = lossy ? (byte)(alphaChunk ? stated | AlphaFlag : stated & ~AlphaFlag) : stated;
        if (read == file[flags] && file[flags + 1] == 0 && file[flags + 2] == 0 && file[flags + 3] == 0) return file;
        byte[] copy = [.. file];
        copy[flags] = read;
        copy.AsSpan(flags + 1, 3).Clear();
        return copy;
    }
}
