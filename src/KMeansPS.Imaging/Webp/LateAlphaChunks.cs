namespace KMeansPS.Imaging.Webp;

/// <summary>
/// ALPH chunks after a lossy WebP's VP8 chunk. libwebp looks for alpha only among the chunks before the image data
/// (the last ALPH there), so it shows such a file opaque, or with the alpha before the data; ImageSharp 2.1 reads every
/// chunk and takes the last ALPH in the file. The copy ImageSharp is handed leaves the late chunks out, and since
/// webpmux refuses such a file, the decode says so (<see cref="Warning"/>).
/// </summary>
internal static class LateAlphaChunks
{
    /// <summary>The file as it is, or a copy without the ALPH chunks after its VP8 chunk.</summary>
    public static byte[] Removed(byte[] file) => ChunksLeftOut.Without(file, Find(file).Late);

    /// <summary>What the decode tells of such a file, or null when it has no late ALPH chunk.</summary>
    public static string? Warning(byte[] file)
    {
        (List<Range> late, bool earlier) = Find(file);
        if (late.Count == 0) return null;
        return $"The WebP has an ALPH (alpha) chunk after its image data, where libwebp does not read it (webpmux refuses such a file). "
            + $"The pixels are those libwebp shows: {(earlier ? "with the alpha of the ALPH chunk before the image data" : "opaque")}.";
    }

    /// <summary>
    /// The late ALPH chunks within the RIFF (each with its pad byte), and whether an ALPH chunk comes before the VP8 chunk.
    /// </summary>
    private static (List<Range> Late, bool Earlier) Find(byte[] file)
    {
        var late = new List<Range>();
        bool earlier = false, image = false;
        if (file.Length < 12 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return (late, earlier);
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
        {
            if (chunk.IsCut) break;
            if (chunk.Is("VP8L"u8) && !image) return (late, earlier); // lossless: libwebp and ImageSharp ignore ALPH
            if (chunk.Is("ALPH"u8) && image) late.Add(chunk.Offset..chunk.End);
            earlier |= chunk.Is("ALPH"u8) && !image;
            image |= chunk.Is("VP8 "u8);
        }
        return (late, earlier);
    }
}
