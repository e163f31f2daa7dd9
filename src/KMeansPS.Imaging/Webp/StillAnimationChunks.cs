namespace KMeansPS.Imaging.Webp;

/// <summary>
/// ANIM and ANMF chunks before the image data of a still WebP (its VP8X header has no animation flag). libwebp decodes a
/// still by its chunks up to the VP8/VP8L chunk and skips those; ImageSharp 2.1 refuses the file ("Animated webp are not
/// yet supported"). The copy ImageSharp is handed leaves them out, and the decode says so (<see cref="Warning"/>). An
/// animation is left alone (the structure check refuses it), and so is a still without image data.
/// </summary>
internal static class StillAnimationChunks
{
    private const byte AnimationFlag = 0x02;

    /// <summary>The file as it is, or a copy without the animation chunks before its image data.</summary>
    public static byte[] Removed(byte[] file) => ChunksLeftOut.Without(file, Find(file));

    /// <summary>What the decode tells of such a file, or null when it has no animation chunk before its image data.</summary>
    public static string? Warning(byte[] file) => Find(file).Count == 0 ? null
        : "The WebP holds an animation chunk (ANIM or ANMF) before its image data, though its VP8X header says it is no animation. "
        + "libwebp skips it, and so does the decode: the pixels are those dwebp shows.";

    /// <summary>The ANIM and ANMF chunks (each with its pad byte) before a still's image chunk; none when there is no such chunk.</summary>
    private static List<Range> Find(byte[] file)
    {
        var found = new List<Range>();
        if (file.Length < 30 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8) || !file.AsSpan(12, 4).SequenceEqual("VP8X"u8)
            || (file[20] & AnimationFlag) != 0)
            return found;
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
        {
            if (chunk.IsCut) break;
            if (chunk.IsImage) return found;
            if (chunk.Is("ANIM"u8) || chunk.Is("ANMF"u8)) found.Add(chunk.Offset..chunk.End);
        }
        found.Clear(); // no image data: nothing libwebp decodes
        return found;
    }
}
