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
        if (png.Length < HeaderEnd || !png.AsSpan(0, 8).SequenceEqual(PalettePngEncoder.Signature)
            || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8) || BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8)) != 13)
            return png;
        using var marked = new MemoryStream(png.Length + 128);
        marked.Write(png, 0, HeaderEnd);
        PalettePngEncoder.WriteChunk(marked, "tEXt", marker.ToPngTextData()); // as the encoder writes its own outputs' marker
        marked.Write(png, HeaderEnd, png.Length - HeaderEnd);
        return marked.ToArray();
    }
}
