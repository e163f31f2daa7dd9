namespace KMeansPS.Imaging.Webp;

/// <summary>
/// Bytes after a WebP's RIFF (padding or anything appended, the RIFF size left as it was), which libwebp never reads:
/// ImageSharp 2.1 reads an extended (VP8X) file's chunks to the end of its input, and fails on them ("Invalid Webp data.")
/// or takes them for chunks of the image. The copy ImageSharp is handed ends where the RIFF size says; a file shorter
/// than that is refused before (<see cref="Integrity.WebpScanner"/>).
/// </summary>
internal static class BytesAfterRiff
{
    /// <summary>The file as it is, or a copy of its RIFF alone.</summary>
    public static byte[] Removed(byte[] file)
    {
        if (file.Length < 12 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return file;
        long end = RiffChunks.DeclaredEnd(file);
        return end < file.Length ? file[..(int)end] : file;
    }
}
