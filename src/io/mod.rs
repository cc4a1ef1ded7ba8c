//! Files in and out: CSV spreadsheets (UTF-8 or GBK) and their headers.
