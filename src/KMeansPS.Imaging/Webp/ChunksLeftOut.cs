using System.Buffers.Binary;

namespace KMeansPS.Imaging.Webp;

/// <summary>A copy of a WebP without some of its chunks, for the copies ImageSharp is handed of chunks libwebp does not read.</summary>
internal static class ChunksLeftOut
{
    /// <summary>
    /// <paramref name="file"/> without <paramref name="chunks"/> (each with its pad byte, in order, within the RIFF), its
    /// RIFF size less what was left out: bytes after the RIFF's end stay after it.
    /// </summary>
    public static byte[] Without(byte[] file, List<Range> chunks)
    {
        if (chunks.Count == 0) return file;
        int removed = chunks.Sum(r => r.End.Value - r.Start.Value);
        byte[] copy = new byte[file.Length - removed];
        int from = 0, to = 0;
        foreach (Range chunk in chunks)
        {
            file.AsSpan(from, chunk.Start.Value - from).CopyTo(copy.AsSpan(to));
            to += chunk.Start.Value - from;
            from = chunk.End.Value;
        }
        file.AsSpan(from).CopyTo(copy.AsSpan(to));
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) - (uint)removed);
        return copy;
    }
}
