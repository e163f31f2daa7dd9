using System.Buffers.Binary;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Reads the one EXIF tag the decoder acts on, Orientation (0x0112) in IFD0, from the TIFF structure of an APP1
/// Exif segment, in either byte order. Every offset is checked; a malformed structure gives null, never an error,
/// because metadata must not make a readable image unreadable.
/// </summary>
internal static class ExifReader
{
    private const ushort OrientationTag = 0x0112;
    private const ushort TypeShort = 3;

    /// <summary>The orientation (1 to 8), or null when the tag is absent, malformed or out of range.</summary>
    internal static int? ReadOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return null;
        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I') little = true;
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M') little = false;
        else return null;
        if (ReadUInt16(tiff[2..], little) != 42) return null;
        uint ifd = ReadUInt32(tiff[4..], little);
        if (ifd < 8 || ifd > (uint)tiff.Length - 2) return null;
        int entries = ReadUInt16(tiff[(int)ifd..], little);
        int first = (int)ifd + 2;
        for (int i = 0; i < entries; i++)
        {
            int at = first + 12 * i;
            if (at > tiff.Length - 12) return null;
            ReadOnlySpan<byte> entry = tiff.Slice(at, 12);
            if (ReadUInt16(entry, little) != OrientationTag) continue;
            // A SHORT with count 1 keeps its value in the first two bytes of the value field.
            if (ReadUInt16(entry[2..], little) != TypeShort || ReadUInt32(entry[4..], little) != 1) return null;
            int value = ReadUInt16(entry[8..], little);
            return value is >= 1 and <= 8 ? value : null;
        }
        return null;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16BigEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32BigEndian(data);
}
