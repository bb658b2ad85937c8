"""rs_stl - small ASCII/binary STL reader and the measures the hw checks need
(stdlib only): bounding box, enclosed volume, area lying on the bed.

Contract: read_stl() returns a list of triangles ((x,y,z), (x,y,z), (x,y,z))
or raises OSError/ValueError with a one-line message; an empty or absent
file means "no geometry" to the callers (OpenSCAD writes nothing for an
empty intersection)."""
import struct


def read_stl(path):
    with open(path, "rb") as fh:
        data = fh.read()
    # ASCII: facets, or an empty solid (OpenSCAD writes one when two
    # bodies only touch); a binary file is at least 84 bytes
    if data[:5] == b"solid" and (b"facet" in data[:400] or (len(data) < 84 and b"endsolid" in data)):
        tris, cur = [], []
        for line in data.decode("ascii", errors="replace").splitlines():
            w = line.split()
            if w and w[0] == "vertex":
                cur.append(tuple(float(v) for v in w[1:4]))
                if len(cur) == 3:
                    tris.append(tuple(cur))
                    cur = []
        return tris
    if len(data) < 84:
        raise ValueError(f"{path}: not an STL file")
    n = struct.unpack_from("<I", data, 80)[0]
    if len(data) < 84 + 50 * n:
        raise ValueError(f"{path}: truncated binary STL")
    tris = []
    for i in range(n):
        v = struct.unpack_from("<12f", data, 84 + 50 * i)
        tris.append((v[3:6], v[6:9], v[9:12]))
    return tris


def bbox(tris):
    """((xmin, ymin, zmin), (xmax, ymax, zmax)) or None for no triangles."""
    if not tris:
        return None
    pts = [p for t in tris for p in t]
    return (tuple(min(p[i] for p in pts) for i in range(3)),
            tuple(max(p[i] for p in pts) for i in range(3)))


def volume(tris):
    """Signed volume by the divergence theorem (positive for an outward mesh)."""
    v = 0.0
    for a, b, c in tris:
        v += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
              + a[2] * (b[0] * c[1] - b[1] * c[0]))
    return v / 6.0


def bed_area(tris, tol=1e-3):
    """Area of the downward-facing facets lying in the lowest plane: what
    touches the print bed in the exported orientation."""
    box = bbox(tris)
    if box is None:
        return 0.0
    z0 = box[0][2]
    area = 0.0
    for a, b, c in tris:
        if max(abs(a[2] - z0), abs(b[2] - z0), abs(c[2] - z0)) > tol:
            continue
        nz = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        if nz < 0:              # clockwise seen from above = facing down
            area += -nz / 2
    return area
