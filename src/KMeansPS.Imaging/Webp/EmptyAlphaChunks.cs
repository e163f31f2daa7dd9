namespace KMeansPS.Imaging.Webp;

/// <summary>
/// ALPH chunks of no bytes that libwebp does not use: its alpha is the last ALPH chunk before a VP8 chunk, and a lossless
/// (VP8L) image has none. ImageSharp 2.1 reads every ALPH chunk it meets and throws NullReferenceException on an empty
/// one. The copy ImageSharp is handed leaves them out, and the decode says so (<see cref="Warning"/>); the one ALPH
/// libwebp uses is left in, empty or not.
/// </summary>
internal static class EmptyAlphaChunks
{
    /// <summary>The file as it is, or a copy without the empty ALPH chunks libwebp does not use.</summary>
    public static byte[] Removed(byte[] file) => ChunksLeftOut.Without(file, Find(file));

    /// <summary>What the decode tells of such a file, or null when it has no unused empty ALPH chunk.</summary>
    public static string? Warning(byte[] file) => Find(file).Count == 0 ? null
        : "The WebP holds an empty ALPH (alpha) chunk that libwebp does not use; neither does the decode: the pixels are those dwebp shows.";

    /// <summary>The empty ALPH chunks (with their pad byte; none) within the RIFF that are not the one libwebp reads.</summary>
    private static List<Range> Find(byte[] file)
    {
        var found = new List<Range>();
        if (file.Length < 12 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return found;
        int used = -1;
        bool image = false, lossy = false;
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
        {
            if (chunk.IsCut) break;
            if (chunk.Is("ALPH"u8) && !image) used = chunk.Offset;
            if (chunk.IsImage && !image)
            {
                // A lossy image reads the last ALPH before it; a lossless one none.
                lossy = chunk.Is("VP8 "u8);
                if (!lossy) used = -1;
            }
            image |= chunk.IsImage;
            // Those after a lossy image are LateAlphaChunks'.
            if (chunk.Is("ALPH"u8) && chunk.Size == 0 && !(image && lossy)) found.Add(chunk.Offset..chunk.End);
        }
        found.RemoveAll(r => r.Start.Value == used);
        return found;
    }
}
