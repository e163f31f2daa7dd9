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
        IccProfile = _icc.Assemble(),
        Density = _density,
        AdobeTransform = SawAdobe ? AdobeTransform : null,
    };
}
