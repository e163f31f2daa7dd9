using System.Buffers.Binary;
using KMeansPS.Imaging.Png;

namespace KMeansPS.Imaging.Provenance;

/// <summary>
/// Puts the marker into a PNG another encoder made (the plots): a tEXt chunk right after IHDR, where the module's own
/// encoder puts it, so a nightly Compress-ImageKMeans over the folder knows the file as the module's and passes over it.
/// </summary>
internal static class MarkerInsertion
{
    private const int HeaderEnd = 8 + 12 + 13; // signature, then IHDR: length, type, 13 bytes, CRC

    /// <summary>The PNG with <paramref name="marker"/> after its IHDR; anything that is not a PNG starting with IHDR, as it is.</summary>
    public static byte[] AfterHeader(byte[] png, OutputMarker marker)
    {
        ArgumentNullException.ThrowIfNull(png);
        ArgumentNullException.ThrowIfNull(marker);
        if (png.Length < HeaderEnd || !png.AsSpan(0, 8).SequenceEqual(PngSignature) || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8)
            || BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8)) != 13)
            return png;
        byte[] data = marker.ToPngTextData();
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        "tEXt"u8.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return [.. png.AsSpan(0, HeaderEnd), .. chunk, .. png.AsSpan(HeaderEnd)];
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
}
