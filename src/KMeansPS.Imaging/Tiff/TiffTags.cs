namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// The numbers of the tags the module reads or writes in a TIFF structure: a TIFF file's directories (the scanner, the
/// copies ImageSharp is handed, the metadata carried) and EXIF data, which is one (TIFF 6.0, its Technical Notes for
/// JPEGTables, Adobe's PageMaker notes for SubIFDs, EXIF 2.3 for its own directories). One place, so a tag has one name
/// and one number wherever it is read; files say <c>using static KMeansPS.Imaging.Tiff.TiffTags;</c>.
/// </summary>
internal static class TiffTags
{
    // Baseline and extension tags of a TIFF directory (EXIF's IFD0 and IFD1 too).
    public const ushort ImageWidth = 256;
    public const ushort ImageLength = 257;            // the height, in rows
    public const ushort BitsPerSample = 258;
    public const ushort Compression = 259;
    public const ushort Photometric = 262;            // PhotometricInterpretation: what the samples mean (0 MinIsWhite ... 6 YCbCr)
    public const ushort FillOrder = 266;              // 2: each byte's bits stored least significant first
    public const ushort ImageDescription = 270;
    public const ushort StripOffsets = 273;
    public const ushort Orientation = 274;
    public const ushort SamplesPerPixel = 277;
    public const ushort RowsPerStrip = 278;
    public const ushort StripByteCounts = 279;
    public const ushort XResolution = 282;
    public const ushort YResolution = 283;
    public const ushort PlanarConfiguration = 284;    // 1: samples interleaved, 2: each in its own plane
    public const ushort T4Options = 292;              // bit 0: CCITT T.4 data coded in two dimensions
    public const ushort ResolutionUnit = 296;
    public const ushort Artist = 315;
    public const ushort Predictor = 317;              // 2: horizontal differencing, 3: floating-point
    public const ushort ColorMap = 320;
    public const ushort TileWidth = 322;
    public const ushort TileLength = 323;
    public const ushort TileOffsets = 324;
    public const ushort TileByteCounts = 325;
    public const ushort SubDirectories = 330;         // SubIFDs: offsets of further directories
    public const ushort ExtraSamples = 338;           // what samples beyond the colour ones are (alpha, ...)
    public const ushort SampleFormat = 339;           // 1 unsigned, 2 signed, 3 floating point
    public const ushort JpegTables = 347;             // the tables a JPEG-compressed TIFF's strips share
    public const ushort ThumbnailOffset = 513;        // JPEGInterchangeFormat: EXIF IFD1's JPEG thumbnail
    public const ushort ThumbnailLength = 514;        // JPEGInterchangeFormatLength
    public const ushort YCbCrSubSampling = 530;
    public const ushort Copyright = 33432;
    public const ushort ExifPointer = 34665;          // ExifIFD: offset of the EXIF directory
    public const ushort InterColorProfile = 34675;    // the ICC profile
    public const ushort GpsPointer = 34853;           // GPSInfo: offset of the GPS directory

    // Tags of EXIF's own directory.
    public const ushort PixelXDimension = 40962;
    public const ushort PixelYDimension = 40963;
    public const ushort InteropPointer = 40965;       // offset of the interoperability directory
}
