"""Open-data exchange of the directory: data·inclusion v1, Open Referral HSDS 3, CSV and XLSX.

Exports read only what the public may read: published public services, public phones, the
public email, and never the address or coordinates of a place whose address is hidden.
"""
