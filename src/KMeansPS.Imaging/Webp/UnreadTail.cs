using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Webp;

/// <summary>
/// Bytes inside a still WebP's RIFF, after its image data, that are no whole chunk: zeros padding the RIFF (its size
/// counting them), other bytes, or a chunk whose size runs past the RIFF's end. libwebp reads a still image's chunks only
/// up to its VP8/VP8L chunk, so dwebp decodes such a file; ImageSharp 2.1 reads on and fails ("Invalid Webp data.").
/// The copy ImageSharp is handed ends where the whole chunks end, and the decode says what was ignored
/// (<see cref="Warning"/>). It ends too before an animation chunk (ANIM, ANMF) after a still's image data, which libwebp
/// does not read either and ImageSharp refuses ("Animated webp are not yet supported"). Animations are left alone:
/// libwebp's demuxer reads all of their chunks.
/// </summary>
internal static class UnreadTail
{
    /// <summary>The file as it is, or a copy of its RIFF without the tail, the RIFF size set to match.</summary>
    public static byte[] Removed(byte[] file)
    {
        int? frame = FirstFrameAfterImage(file), tail = Find(file)?.At;
        if ((frame ?? tail) is not int at) return file;
        if (tail < at) at = tail.Value;
        byte[] copy = file[..at];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), (uint)(at - 8));
        return copy;
    }

    /// <summary>Where the first whole ANIM or ANMF chunk after a still's image data starts; null when there is none.</summary>
    private static int? FirstFrameAfterImage(byte[] file)
    {
        if (file.Length < 12 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return null;
        bool image = false;
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
        {
            if (IsAnimationHeader(chunk)) return null;
            if (chunk.IsCut) return null;
            if (image && (chunk.Is("ANMF"u8) || chunk.Is("ANIM"u8))) return chunk.Offset;
            image |= chunk.IsImage;
        }
        return null;
    }

    /// <summary>
    /// What the decode tells of such a file (or of one with an animation chunk after a still's image data), or null when
    /// there is nothing after the image data that libwebp leaves unread for being no whole chunk or a frame.
    /// </summary>
    public static string? Warning(byte[] file)
    {
        const string Unread = "libwebp does not read past a still image's data, and neither does the decode: the pixels are those dwebp shows.";
        if (Find(file) is not { } tail)
            return FirstFrameAfterImage(file) is null ? null : $"The WebP holds an animation chunk (ANIM or ANMF) after its image data, though it is no animation. {Unread}";
        ReadOnlySpan<byte> bytes = file.AsSpan(tail.At, tail.Length);
        string what = !bytes.ContainsAnyExcept((byte)0)
            ? $"{Plain.Bytes(bytes.Length)} of zeros after its last chunk (padding)"
            : tail.Chunk is { } chunk
            ? $"a chunk '{chunk.Name}' after its image data that says {Plain.Bytes(chunk.Size)} where {Plain.N(bytes.Length - 8)} remain"
            : $"{Plain.Bytes(bytes.Length)} after its last chunk that start no chunk (they read {Convert.ToHexString(bytes[..Math.Min(8, bytes.Length)])}{(bytes.Length > 8 ? "..." : "")})";
        return $"The WebP's RIFF holds {what}. {Unread}";
    }

    /// <summary>
    /// Where the tail starts and how long it is (to the RIFF's end, or the file's when that is shorter), and the chunk
    /// that runs past the end when one does; null when there is none, or the file is no still WebP with image data.
    /// </summary>
    private static (int At, int Length, (string Name, long Size)? Chunk)? Find(byte[] file)
    {
        if (file.Length < 12 || !file.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return null;
        RiffChunks chunks = RiffChunks.InRiff(file);
        int end = (int)Math.Min(RiffChunks.DeclaredEnd(file), file.Length);
        bool image = false;
        while (chunks.MoveNext())
        {
            RiffChunk chunk = chunks.Current;
            if (IsAnimationHeader(chunk)) return null;
            if (image && !chunk.HasChunkName) return (chunk.Offset, end - chunk.Offset, null);
            if (chunk.IsCut)
                return image ? (chunk.Offset, end - chunk.Offset, (Plain.FourCc(chunk.FourCc).TrimEnd(), chunk.Size)) : null; // before the image: damage, refused by the scanner
            image |= chunk.IsImage;
        }
        // Fewer than a chunk header's 8 bytes left.
        return image && chunks.Rest < end ? (chunks.Rest, end - chunks.Rest, null) : null;
    }

    /// <summary>A first chunk VP8X that says the file is an animation.</summary>
    private static bool IsAnimationHeader(RiffChunk chunk) =>
        chunk.Offset == 12 && chunk.Is("VP8X"u8) && chunk.Payload.Length >= 1 && (chunk.Payload[0] & 0x02) != 0;
}
