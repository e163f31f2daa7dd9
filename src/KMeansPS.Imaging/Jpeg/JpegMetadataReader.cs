using System.Buffers.Binary;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Reads the application segments a decoder cares about: JFIF (APP0), Exif (APP1), ICC profile (APP2) and Adobe
/// (APP14). The JFIF and Adobe markers also decide the colour space, as libjpeg decides it; they count only when
/// long enough, with the lengths libjpeg requires (14 and 12 bytes).
/// </summary>
internal sealed class JpegMetadataReader
{
    private readonly IccProfileChunks _icc = new();
    private byte[]? _exif;
    private JfifDensity? _density;

    internal bool SawJfif { get; private set; }
    internal bool SawAdobe { get; private set; }
    internal int AdobeTransform { get; private set; }

    /// <summary>
    /// The metadata of the segments before the first scan, walked without decoding the frame (so also for kinds the
    /// exact decoder does not read, such as CMYK); comment (COM) segments go to <paramref name="comments"/> when given.
    /// </summary>
    internal static JpegFileMetadata FromSegments(ReadOnlySpan<byte> file, List<byte[]>? comments = null)
    {
        var reader = new JpegMetadataReader();
        if (file.Length < 4 || file[0] != 0xFF || file[1] != 0xD8) return reader.Build();
        int at = 2;
        while (at <= file.Length - 4)
        {
            if (file[at] != 0xFF) break;
            int marker = file[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; }
            if (marker is 0xDA or 0xD9) break;
            int length = BinaryPrimitives.ReadUInt16BigEndian(file[(at + 2)..]);
            if (length < 2 || at + 2 + length > file.Length) break;
            ReadOnlySpan<byte> data = file.Slice(at + 4, length - 2);
            if (marker is >= 0xE0 and <= 0xEF) reader.Read(marker, data);
            else if (marker == 0xFE) comments?.Add(data.ToArray());
            at += 2 + length;
        }
        return reader.Build();
    }

    /// <summary>Takes one APPn segment: <paramref name="marker"/> 0xE0 to 0xEF and the data after the length.</summary>
    internal void Read(int marker, ReadOnlySpan<byte> data)
    {
        switch (marker)
        {
            case 0xE0 when data.Length >= 14 && data.StartsWith("JFIF\0"u8):
                SawJfif = true;
                _density = new JfifDensity(data[7], BinaryPrimitives.ReadUInt16BigEndian(data[8..]), BinaryPrimitives.ReadUInt16BigEndian(data[10..]));
                break;
            case 0xE1 when _exif is null && data.StartsWith("Exif\0\0"u8):
                _exif = data[6..].ToArray();
                break;
            case 0xE2 when data.StartsWith("ICC_PROFILE\0"u8):
                _icc.Add(data[12..]);
                break;
            case 0xEE when data.Length >= 12 && data.StartsWith("Adobe"u8):
                SawAdobe = true;
                AdobeTransform = data[11];
                break;
        }
    }

    internal JpegFileMetadata Build() => new()
    {
        Exif = _exif,
        ExifOrientation = _exif is null ? null : ExifReader.ReadOrientation(_exif),
        MalformedExifOrientation = _exif is null ? null : ExifReader.ReadMalformedOrientation(_exif),
        IccProfile = _icc.Assemble(),
        Density = _density,
        AdobeTransform = SawAdobe ? AdobeTransform : null,
    };
}
