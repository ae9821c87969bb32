"""Configuration classes, chosen by BLOG_ENV."""


class Config:
    SECRET_KEY = "9e1Vq-blog-Zt47pWx0"
    SESSION_COOKIE_HTTPONLY = True
    POSTS_PER_PAGE = 10


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-K3y9"
