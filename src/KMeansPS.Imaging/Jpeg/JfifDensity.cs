namespace KMeansPS.Imaging.Jpeg;

/// <summary>The pixel density of a JFIF (APP0) header.</summary>
/// <param name="Units">0: X and Y only give the aspect ratio; 1: dots per inch; 2: dots per centimetre.</param>
/// <param name="X">Horizontal density (at least 1 in a valid header; stored as read).</param>
/// <param name="Y">Vertical density.</param>
internal readonly record struct JfifDensity(byte Units, ushort X, ushort Y);
