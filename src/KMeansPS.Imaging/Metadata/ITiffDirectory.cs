namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// The values the metadata collectors read from a TIFF structure's first directory: a classic TIFF or EXIF
/// (<see cref="ExifIfd0"/>) or a BigTIFF (<see cref="BigTiffDirectory"/>). Each gives null for an entry that is
/// missing, of another type or count, or whose values lie outside the data.
/// </summary>
internal interface ITiffDirectory
{
    /// <summary>The values of a BYTE, ASCII or UNDEFINED entry as bytes.</summary>
    byte[]? Bytes(ushort tag);

    /// <summary>The value of a one-value SHORT or LONG entry.</summary>
    long? Integer(ushort tag);

    /// <summary>The SHORT value of a one-value entry.</summary>
    int? Short(ushort tag);

    /// <summary>The RATIONAL value of a one-value entry.</summary>
    double? Rational(ushort tag);
}
